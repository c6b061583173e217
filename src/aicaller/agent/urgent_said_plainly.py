"""Urgent situations of any business said the way callers put them when they do not name the
emergency: what they see happening (a man grey and clutching his arm, someone lying there not
moving, glass across the pavement, a sign swinging over a bus stop) and who is put at risk by
it, in British as well as American words (ADR 0045; the phrase syntax is
``aicaller.agent.urgency``'s).

Each keeps ADR 0040's shape, a danger and a sign that it is happening now or to someone: a
bare "smashed window" or "power cut" is a repair, beside "on the pavement" or "on oxygen" it
cannot wait. Words are compared by their stems, so a word of everyday speech ("fitting",
"swing", "lock", "pump") is never a slot alone where its stem means something harmless.
"""

from __future__ import annotations

SAID_PLAINLY = (
    # The body: a heart attack's look, someone down and still, a fit, a diabetic's low sugar,
    # more medicine than prescribed.
    "gone_grey|gone_gray|gone_pale|went_grey|went_gray|went_pale|turned_grey|turned_gray|"
    "turned_pale|ashen sweaty|sweating|clutching|breathless|clammy|chest|collapsed|dizzy",
    "clutching|clutched|gripping chest|heart|left_arm|his_arm|her_arm",
    "lying|laying|slumped|on_the_floor|on_the_ground not_moving|isn't_moving|not_breathing|"
    "isn't_breathing|not_responding|won't_move|hasn't_moved|not_answering|isn't_answering",
    "slid_off|slumped|keeled_over|collapsed|fell_off|come_off|came_off PERSON|PET "
    "not_answering|isn't_answering|not_responding|not_moving|isn't_moving|won't_wake",
    "having_a_fit|had_a_fit|having_fits|another_fit|gone_into_a_fit twitching|shaking|jerking|"
    "convulsing|foaming|stiff|wobbly|collapsed|on_the_floor|CHILD|PET",
    "diabetic|diabetes|blood_sugar|insulin|hypo shaking|trembling|slurring|passed_out|"
    "won't_wake|collapsed|unresponsive|sweating_buckets|cold_sweat|drenched_in_sweat",
    "hypoglycemic|hypoglycaemic|having_a_hypo|diabetic_coma",
    "took|taken|swallowed than_i_should|than_he_should|than_she_should|than_prescribed|"
    "than_i_was_meant|whole_packet|whole_pack|whole_box|whole_strip tablets|pills|medicine|"
    "medication|meds|paracetamol|painkillers|sleeping_pills|insulin",
    # Life kept up by a machine, and the power to it gone.
    "oxygen|ventilator|dialysis|life_support|concentrator|breathing_machine|cpap|care_home|"
    "nursing_home power_out|power_cut|power_went|power_gone|power_failed|outage|"
    "blackout|no_power|lost_power|without_power",
    # Something swallowed that can tear, block or burn inside.
    "swallowed|ingested magnet|magnets|coin|marble|needle|pin|screw|nail|"
    "button_battery|something_sharp",
    # Someone turning on people: aggression in progress, without a weapon named.
    "acting_aggressive|being_aggressive|getting_aggressive|turned_aggressive|"
    "turning_aggressive|kicking_off|getting_violent|being_violent|turned_violent|threatening|"
    "screaming_at|swinging_at|squaring_up_to|lunging_at people|customers|staff|everyone|"
    "passers_by|residents|kids|children|PERSON",
    # Something blown over or away with people in or on it.
    "blew_over|blown_over|tipped_over|flipped_over|blew_away|blown_away|lifted_off "
    "CHILD|PERSON|with_kids|kids_inside|people_inside|someone_inside|inside|on_it|in_it",
    # A stroke or meningitis said plainly; a wound to the bone; someone under a weight.
    "words|speech|talking coming_out_wrong|all_wrong|jumbled|garbled|muddled|gibberish",
    "rash|spots|blotches doesn't_fade|won't_fade|not_fading|under_a_glass|glass_test|"
    "non_blanching|burning_up|stiff_neck|floppy",
    "see_the_bone|see_bone|bone_showing|to_the_bone|bone_sticking_out",
    "cut|sliced|slashed|gashed hand|arm|leg|finger|head|face|wrist|foot open|deep|bone|"
    "won't_stop|everywhere|pouring|gushing",
    "is_on_top_of|it's_on_top_of|landed_on_top_of|fell_on_top_of|fallen_on_top_of|"
    "come_down_on_top_of BODY|PERSON|PET",
    # A child on a height or a vehicle moving with nobody at the wheel.
    "CHILD|PERSON|PET stuck|trapped|stranded on_top_of|on_the_roof|on_a_ledge|up_a_tree",
    "car|van|lorry|truck|vehicle|bus|trailer rolled_back|rolling_back|rolled_away|"
    "rolling_away|rolled_down|rolling_down|runaway|careering|no_one_in_it|nobody_in_it|"
    "no_one_driving|nobody_driving",
    # Something poked into a socket; no water for a baby or someone frail.
    "poked|stuck|put|pushed|shoved|jammed hairclip|hair_clip|fork|knife|pin|paperclip|"
    "finger|fingers|key socket|sockets|outlet|outlets",
    "no_water|without_water|water's_off|water_is_off|water's_been_off newborn|baby|infant|"
    "dialysis|elderly|disabled|care_home",
    # A limb at a wrong angle; thrown by a shock; a wall or floor moving as it cracks.
    "funny_angle|wrong_angle|weird_angle|odd_angle|bent_backwards|out_of_place|dislocated "
    "ankle|wrist|knee|leg|arm|shoulder|elbow|finger|bone|hip|foot",
    "touched|touching|grabbed got_thrown|thrown_across|thrown_back|knocked_back|flung",
    "shaking|moving|bowing|bulging|opening_up crack|cracks|"
    "cracking wall|walls|ceiling|floor|chimney|gable",
    # Someone shut in by their own hand who will not answer; a baby too sleepy to feed.
    "locked_himself|locked_herself|locked_themselves|barricaded_himself|barricaded_herself "
    "in|inside won't_open|won't_answer|not_answering|isn't_answering|won't_come_out|dementia|"
    "can't_get_in|threatening",
    "baby|infant|newborn|month_old|weeks_old not_feeding|won't_feed|isn't_feeding sleepy|"
    "floppy|temperature|fever|won't_wake|lethargic|limp|grunting|blue|burning_up",
    # A sudden worst-ever headache; no feeling after a fall; someone slumped and grey.
    "worst_ever|worst_she's_ever|worst_i've_ever|worst_he's_ever|all_of_a_sudden|"
    "came_on_suddenly|thunderclap|out_of_nowhere headache",
    "can't_feel|cannot_feel|no_feeling_in legs|arms|feet|anything_below fell|fallen|fall|"
    "landed|hit|crash|dived|trampoline",
    "slumped|keeled_over grey|gray|pale|blue|ashen",
    # Help that cannot get through.
    "fire_engine|fire_truck|ambulance|paramedics|police_car can't_get|cannot_get|"
    "can't_get_past|can't_get_through|blocked|blocking|stuck_behind",
    # Something about to come down on people below: a sign, gutter or chimney, a ceiling
    # holding water, bricks and glass where people walk.
    "dangling|swinging_about|swinging_around|swinging_in_the_wind|blowing_about|"
    "blowing_around|hanging_off|hanging_loose|come_loose|came_loose|coming_loose|"
    "coming_away|come_away|came_away|about_to_fall|going_to_fall|gonna_fall|about_to_come_down "
    "over_people|one_bracket|one_bolt|one_screw|one_nail|by_a_thread|"
    "pavement|sidewalk|footpath|bus_stop|school|front_door|doorway|playground|people|kids|"
    "children|customers",
    "bricks|slates|tiles|debris|masonry|chunks|shards|render|plaster|stonework|concrete "
    "dropping|falling|coming_down|raining|crashing|landed|come_off|came_off onto|on|into|in "
    "pavement|sidewalk|street|road|path|people|school|kids|someone|"
    "footpath|customers|playground",
    "glass|broken_glass all_over|everywhere|across|scattered pavement|sidewalk|path|footpath|"
    "street|road|playground",
    "bowing|bulging|sagging|buckling|caving roof|ceiling|flat_roof|floor|deck|balcony|beam "
    "water|underneath|under_it|below|customers|people|kids|collapse|give_way|about_to|"
    "going_to|gonna",
    # The business's own premises forced or smashed, seen by a neighbour or passer-by.
    "window|windows|door|doors|glass|shutter|shopfront|front got_smashed|been_smashed|"
    "smashed_in|kicked_in|bashed_in|put_through your|shop|store|premises|office|unit|place|"
    "building",
    # Water where the electricity is: through a light, a switch, a socket.
    "water|rain|raining|leak dripping|dribbling|trickling|pouring|seeping|raining_through|"
    "raining_in|raining_down|raining_out|coming_out|"
    "coming_through|coming_down|pissing|leaking_through|leaking_into|leaking_from|leaking_out|"
    "running_down|running_out_of|running_through light|light_switch|socket|sockets|outlet|"
    "outlets|light_fitting|bulb|fuse_box|fusebox|consumer_unit|fixture|spotlight|spotlights|"
    "downlight|downlights|ceiling_rose",
    # A machine on fire: smoke and sparks together, whatever the machine is called.
    "smoking|smoke|smoldering|smouldering sparking|sparks|sparked|arcing|crackling",
    # Someone shut in behind a lock that has jammed.
    "i'm_stuck|we're_stuck|i'm_trapped|we're_trapped|he's_stuck|she's_stuck|he's_trapped|"
    "she's_trapped|locked_himself|locked_herself|locked_myself|locked_themselves in|inside "
    "bathroom|toilet|loo|room|bedroom|closet|cupboard|freezer|attic|basement|cellar|shed|"
    "garage|lift|elevator lock|door|handle|jammed|won't_open|can't_get_out|cannot_get_out|"
    "won't_unlock|won't_budge",
    # A child or pet shut in a car with the keys, or in the heat.
    "locked_out|locked_myself_out|locked_ourselves_out|keys_locked|locked_the_keys|"
    "locked_my_keys|locked_keys|keys_inside|keys_are_inside|keys_in_the_car "
    "CHILD|PET strapped|in_the_back|in_the_car|car_seat|asleep|hot|heat",
    # Said of a person: intent to kill, not "the prices are killing me".
    "trying_to_kill|tried_to_kill|threatening_to_kill|threatened_to_kill|threatens_to_kill|"
    "wants_to_kill|said_he'd_kill|said_she'd_kill|said_he_would_kill|said_she_would_kill|"
    "he's_going_to_kill|she's_going_to_kill|he's_gonna_kill|she's_gonna_kill|he'll_kill|"
    "she'll_kill|they'll_kill|he_will_kill|she_will_kill|he'd_kill|she'd_kill",
)
