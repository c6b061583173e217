"""The urgent situations of any business, the groups trades share, and the words that make a
sentence about them no emergency (``aicaller.agent.urgency`` explains the phrase syntax).

Written from what callers of any business say when someone is hurt, something is burning,
water is pouring in, electricity is loose, someone is in danger or trapped: the caller of a
law office or a mover can describe a collapse as well as a clinic's can (ADR 0035). The
second half of the list hears the same dangers as any caller says them, without the textbook
word: who is in danger (a person, a child, a pet) and what is happening to them now (ADR 0040).
"""

from __future__ import annotations

from aicaller.agent.urgent_said_plainly import SAID_PLAINLY

# Who or what a situation is about; a name in capitals in a phrase stands for its group.
GROUPS = {
    "PERSON": "he|she|him|her|someone|somebody|man|woman|guy|lady|boy|girl|baby|infant|"
    "newborn|toddler|kid|kids|child|son|daughter|husband|wife|mom|mother|dad|father|grandma|"
    "grandmother|grandpa|grandfather|brother|sister|friend|neighbor|neighbour|worker|"
    "customer|patient|tenant|mum|mam|grandad|granddad|nan|nana|gran|granny|bloke|lad|partner|"
    "resident|old_man|old_lady",
    "CHILD": "baby|infant|newborn|toddler|kid|kids|child|children|son|daughter|boy|girl|"
    "year_old|little_one",
    "PET": "dog|cat|puppy|kitten|pet|pets",
    "BODY": "arm|arms|leg|legs|hand|hands|foot|feet|finger|fingers|head|neck|chest",
    "MACHINE": "motor|opener|dryer|washer|dishwasher|fridge|freezer|oven|stove|microwave|"
    "toaster|heater|furnace|boiler|fan|light|fixture|lamp|outlet|plug|cord|charger|battery|"
    "panel|breaker|meter|switch|wire|wires|wiring|transformer|pump|engine|tv|"
    "computer|server",
}

GENERAL = (
    # Someone's body: the heart, breathing, consciousness, blood, bones, a fall, a blow.
    "chest pain|pains",
    "chest_feels_tight|chest_is_tight|chest_tightness|tight_chest|tightness_in_my_chest|"
    "pressure_in_my_chest|chest_feels_heavy|chest_hurts|chest_is_hurting|chest_is_killing|"
    "sitting_on_my_chest|weight_on_my_chest|squeezing_my_chest|crushing_my_chest",
    "heart_attack",
    "a_stroke|having_stroke",
    "can't|cannot|not|isn't|wasn't|trouble|struggling|difficulty|hard|barely|gasping|fast|"
    "hurts|painful|"
    "funny|weird|catch breathe|breathing|breath",
    "unconscious|unresponsive|collapsed|fainted|keeled_over|slumped_over|slumped_at_the_wheel",
    "passed_out|knocked_out_cold",
    "PERSON not_waking_up|won't_wake_up|can't_wake|won't_wake|isn't_waking|not_responding|"
    "won't_respond|isn't_responding|won't_stay_awake|can't_stay_awake|really_floppy|"
    "gone_all_floppy|all_floppy|gone_floppy|gone_all_limp|"
    "gone_limp|went_limp|is_floppy|won't_answer_me|isn't_answering_me|not_answering_me",
    "lips|face|skin blue|purple|grey|gray",
    "PERSON wheezing|gasping|turning_blue|choking_on|asthma_attack",
    "bleed|bleeding|blood lot|bleeding_badly|bleed_badly|heavily|everywhere|won't|soaking|"
    "soaked|pouring|gushing|spurting|squirting|head",
    "throwing_up|vomiting|coughing_up|puking|spitting_up blood",
    "stung|bitten|stings|bites|welts bunch|multiple|several|dozen|dozens|many_times|"
    "over_and_over|all_over|covered",
    "deep_cut|bad_cut|badly_cut|cut_open|gash|gashed|deep_wound|open_wound|sliced_open|"
    "cut_himself|cut_herself|cut_myself",
    "seizure|convulsing|convulsions",
    "overdose|overdosed|been_poisoned|was_poisoned|got_poisoned|is_poisoned|he_poisoned|"
    "she_poisoned",
    "swallowed|drank|ingested|ate pills|medicine|medication|bleach|chemicals|chemical|poison|"
    "detergent|battery|antifreeze|cleaner",
    # Medicine taken wrong: too much, twice, someone else's, by mistake.
    "took|taken|swallowed|ate|gave|given|got_into|drank|chewed too_many|too_much|by_mistake|"
    "by_accident|accidentally|wrong|whole_bottle|handful|bunch|double|twice|extra|adult|"
    "dad's|mom's pills|medicine|medication|meds|insulin|tablets|vitamins|dose|ibuprofen|"
    "syrup|cough_syrup|painkillers|melatonin|benadryl|"
    "tylenol|acetaminophen|aspirin|gummies|edibles",
    "broken|broke|fractured bone|bones|ankle|wrist|hip|ribs|collarbone",
    "broken_arm|broken_leg|arm_is_broken|leg_is_broken|broke_his_arm|broke_her_arm|"
    "broke_my_arm|broke_his_leg|broke_her_leg|broke_my_leg",
    "hit|hits|struck|banged|bumped head",
    "fell|fallen|falling|slipped|tumbled off|from|down|through ladder|roof|stairs|staircase|"
    "ramp|truck|scaffold|scaffolding|balcony|deck|tree",
    "fell|fallen|slipped|tripped|collapsed|gone_over|went_over|took_a_tumble|had_a_fall "
    "PERSON can't_get_up|cannot_get_up|won't_get_up|"
    "can't_stand|can't_move|can't_walk|unable_to_get_up|not_moving|isn't_moving|lying|laying|"
    "behind_the_door|behind_his|behind_her|can't_get_in|can't_get_it_open",
    "trapped|pinned|crushed under|beneath",
    "crushed|smashed|pinned|squashed|mashed|squished|jammed foot|hand|leg|fingers|finger|arm|chest",
    "fell_on|fallen_on|fell_onto|landed_on|dropped_on|toppled_onto|collapsed_on someone|him|"
    "her|me|husband|wife|son|daughter|kid|child|baby|worker|guy|man|woman|leg|foot|hand|head",
    # Something came down on or closed on someone, or they are under it.
    "came_down|fell|dropped|landed|collapsed|toppled|slammed|closed|shut on_my|on_his|on_her|"
    "on_our|on_him|on_top|right_on|onto_my|onto_his|onto_her|onto_him BODY|PERSON|PET",
    "caught|stuck|trapped|pinned|jammed|closed_on|shut_on|slammed_on|clamped_on BODY",
    "came_down|fell|collapsed|toppled|tipped_over|caved_in|fallen|fallen_in|come_down|"
    "given_way under|underneath|beneath PERSON|PET",
    "is_hurt|got_hurt|badly_hurt|seriously_hurt|really_hurt|is_injured|got_injured|"
    "badly_injured|seriously_injured|just_hurt|he_hurt|she_hurt|he_injured|she_injured",
    "accident|crash|crashed|collision|wreck|wrecked hurt|injured|bleeding|ambulance|911",
    "hit_by|struck_by|run_over_by|got_run_over|was_run_over|clipped_by car|truck|van|vehicle|"
    "bus|motorcycle|driver",
    "car|truck|van|vehicle|driver crashed|drove|smashed|slammed|plowed into|through",
    "allergic_reaction",
    "anaphylaxis|anaphylactic",
    "throat|tongue|lips swollen|swelling|closing|tight|blown_up|ballooned|puffed_up|swelled",
    "hives|swelling|swollen|puffy|puffing_up|blowing_up|swelling_up|blown_up|swelled_up|"
    "ballooned face|lips|throat|tongue|"
    "eyes|covered|all_over ate|peanuts|peanut|nuts|nut|shellfish|stung|sting|allergic|"
    "reaction|epipen|wheezing|coughing",
    "reaction|reacting epipen|epipens|epi_pen|benadryl",
    "pregnant bleeding|cramping|contractions|can't_feel|isn't_moving|hasn't_moved",
    "water_broke|waters_broke|having_contractions|in_labor|in_labour|into_labour|into_labor",
    "numb|numbness|weak|weakness|heavy|drooping|droopy|tingling one_side|left_arm|right_arm|"
    "left_side|right_side|side_of_her_face|side_of_his_face|side_of_my_face|half_his_face|"
    "half_her_face|half_my_face",
    "room_is_spinning|room's_spinning|room_spinning",
    "fever|temperature hundred_and_four|hundred_and_five|104|105|106|stiff_neck|floppy|"
    "lethargic|won't_wake|seizure",
    "heatstroke|heat_stroke|heat_exhaustion",
    "overheating|overheated mother|father|elderly|baby|kid|child|he|she|someone|worker|mover|"
    "dog|cat|grandma|grandpa",
    # Signs of heat illness and of a stroke, said in plain words (added after reading the
    # development movers' questions, ADR 0035).
    "heat|hot|sun|ninety|hundred|degrees|heatwave confused|confusion|disoriented|dizzy|"
    "fainted|not_making_sense|slurring|stopped_sweating|throwing_up|vomiting|woozy",
    "slurring|slurred speech|words|talking|suddenly",
    "he|she|guy|worker|mover|husband|wife|mother|father|someone not_making_sense|"
    "isn't_making_sense|incoherent|disoriented|slurring|talking_funny|talking_weird",
    "face|smile drooping|droopy|drooped",
    "ambulance|paramedics|911 on_the_way|coming|called|calling|waiting|here|arrived",
    # Water where someone can drown in it or be pulled under.
    "face_down|went_under|pulled_under|bottom_of_the_pool|sucked|stuck_to pool|water|tub|"
    "drain|lake|pond|river|PERSON",
    # Fire, smoke, explosion, fumes.
    "on_fire",
    "caught_fire",
    "house_fire|building_fire|kitchen_fire|garage_fire|office_fire|grease_fire|"
    "electrical_fire|fire_in_the|fire_in_my|fire_in_our|fire_in_a|fire_at_the|fire_at_our|"
    "there's_a_fire|fire_started|fire_broke_out|started_a_fire",
    "smoke coming|pouring|filling|everywhere|billowing|full",
    "smoke|smoky in_the_hallway|in_the_hall|in_the_stairwell|in_the_corridor|on_the_landing|"
    "in_the_loft|under_the_door",
    "set_fire|set_alight|set_light|is_alight|are_alight|was_alight|ablaze|caught_light|"
    "in_flames|going_up_in_flames|burning_down",
    "smoking|smoldering|smouldering MACHINE|hood|roof|ceiling|attic|walls",
    "flames|flame coming|shooting|pouring|out_of|everywhere|inside",
    "burning|burnt smell|smells|smelling|smelled|odor|stink|stinks",
    "smoke|fire alarm|alarms|detector going_off|went_off|sounding|blaring burning|smoke|smell|"
    "smells|flames",
    "explosion|exploded|blew_up",
    "carbon_monoxide|co going_off|beeping|went_off|sounding|leak|leaking|poisoning|poisoned|"
    "sick|dizzy|headache|headaches|nauseous",
    "exhaust|fumes dizzy|headache|inside|faint|sleepy|nauseous|wheezy|wheezing",
    "fumes everywhere|overwhelming|choking|coughing",
    "bleach|ammonia|chlorine|acid|chemicals|cleaners mixed|mixing|combined fumes|gas|cloud|"
    "smell|coughing|dizzy|breathe|burning|choking|eyes|sick",
    "oven|stove|burner|cooktop|range|heater|space_heater|dryer|toaster|iron|fryer "
    "won't_shut_off|won't_turn_off|can't_turn_off|can't_shut_off|stuck_on|glowing|red_hot",
    # Electricity loose where people are.
    "electrocuted",
    "electric|electrical shock",
    "zapped|shocked|shock|jolt|tingle|tingling touch|touched|touching|every_time|hand|put",
    "tingle|tingly|tingling|shock|shocked|zapped swim|swimming|water|pool|dock|lake|tub|shower",
    "power|electric line|lines down|fell|sparking|touching|lying",
    "live_wire|live_wires|exposed_wire|exposed_wires|downed_line|downed_lines|wires_down",
    "wire|wires|cable|cables hanging|dangling|down|sparking|fallen|snapped|fizzing",
    "line|lines|wire|wires|power_line came_down|fell|snapped|on_the_ground yard|street|"
    "driveway|road|ground|storm|sparking|dog|kids",
    "tree|limb|branch|branches touching|resting_on|hanging_on|sitting_on|lying_on|fell_on|"
    "came_down_on|on_the_power power_line|power_lines|line|lines|wire|wires",
    "sparks|sparking|sparked|arcing MACHINE|wall|socket|tub|hot_tub",
    # Water where it does damage by the minute.
    "water|rain pouring|gushing|spraying|shooting|streaming|rushing through|everywhere|"
    "all_over|into",
    "flood|flooding|flooded basement|room|house|home|office|kitchen|floor|building|unit|"
    "apartment|store|shop|garage",
    "water|sewage pouring|gushing|spraying|streaming|rushing|rising|spreading|filling|"
    "flooding|overflowing|coming_through|coming_down|coming_up|coming_out|coming_from|"
    "still_coming|keeps_coming|running_down|leaking_into|dripping_onto ceiling|wall|walls|"
    "floor|floors|basement|kitchen|carpet|downstairs|upstairs|hallway|hall|stairs|bathroom|"
    "bedroom|garage|outlets|outlet|light|fixture|door|room|house|unit|mine|everywhere|"
    "all_over|bottom",
    "leaking|dripping|pouring|running|coming into_mine|into_my_unit|into_my_apartment|"
    "down_the_walls|down_the_wall|from_upstairs|through_the_ceiling|from_the_ceiling",
    "water|sewage|pouring|gushing|flooding|overflowing won't_stop|not_stopping|can't_stop|"
    "keeps_coming|still_coming|still_rising|keeps_rising",
    "inch_deep|inches_deep|foot_deep|feet_deep|ankle_deep|knee_deep|inch_of_water|"
    "inches_of_water|foot_of_water|feet_of_water",
    "water up_to|touching|reached|reaching outlet|outlets|panel|plugs|knees|ankles|waist|"
    "furnace|wires",
    "whole|entire floor|first_floor|downstairs|basement|house|kitchen|place water|flooded|"
    "under_water|underwater",
    "pipe|pipes|water_line|water_heater|hose|supply_line|water_tank burst|bursting|busted|"
    "split|ruptured|let_go|gave_way|came_loose|came_off|popped_off|blew|broke",
    "sewage|raw_sewage|poop coming_up|coming_out|backing_up|backed_up|all_over|everywhere|"
    "into|overflowing|floor",
    "toilet|toilets|drain|drains|tub|shower backing_up|backed_up|overflowing|overflowed|"
    "spilling all_over|everywhere|into_the|into_my|onto|out_of|won't_stop",
    # A structure giving way, a hole someone can fall in.
    "caved_in|collapsed|gave_way|gave_out|fell_in|sinkhole|opened_up|giving_way|caving|"
    "collapsing|fallen_in|fallen_through|come_down|came_down "
    "ground|yard|tank|septic|driveway|floor|deck|balcony|ceiling|roof|wall|porch|stairs|"
    "sidewalk",
    "septic|tank|manhole|well|cistern|pit lid|cover gone|missing|off|broken|open|cracked",
    "fell_in|fell_into|almost_fell|nearly_fell hole|well|tank|pool|pit|septic|shaft|manhole",
    "tree|limb|branch cracking|split|splitting|about_to_fall|going_to_fall|gonna_fall|"
    "coming_down|came_down|fell house|roof|car|kids|road|bedroom|garage|shed|someone",
    "hanging|dangling|swinging|about_to_fall|going_to_fall|gonna_fall one_cable|by_a_thread|"
    "right_under|under_it|underneath CHILD|PERSON",
    # No heat in a freeze, for anyone.
    "heat|heating|furnace|boiler|heater quit|died|stopped|went_out|broke|gone|not_working|"
    "isn't_working|won't_come_on|packed_in|packed_up|conked_out|gave_up|given_up|cut_out|"
    "failed|broken_down|broke_down|been_off freezing|degrees|below|zero|minus|newborn|infant|"
    "baby|elderly|oxygen|shivering|ninety|pensioner|frail|disabled|out_of_hospital",
    "no_heat|without_heat|heat's_off|heat_is_off|heat's_been_off|heat_went_out|heat_is_out|"
    "heat_off|heat_out|no_heating|heating_is_out|heating's_out freezing|degrees|below|zero|"
    "fifty|forty|thirty|baby|infant|newborn|elderly|oxygen|ninety|sick|grandma|grandpa",
    # A flood said as a picture; a baby coming now; a vehicle that hit someone.
    "basement|kitchen|floor|house|garage|downstairs swimming_pool|a_lake|a_river|a_pond|"
    "like_a_pool",
    "having_the_baby|having_a_baby|having_her_baby|giving_birth|baby_is_coming|baby's_coming "
    "right_now|now|in_the_car|here|on_the_floor|too_early|crowning",
    "car|truck|van|vehicle|driver hit|struck|ran_over|knocked_down|run_over|rolled_over CHILD|"
    "PERSON|PET",
    "got_a_shock|got_shocked|got_zapped|got_electrocuted|got_a_jolt numb|burn|burned|"
    "can't_feel|tingling|chest|heart|fell|knocked|thrown",
    # Danger from someone; trapped; a child lost.
    "hurt|hit|shoved|pushed|punched|beat|beating|attacked|threatened|choked|strangled me",
    "gun|knife|weapon threatening|waving|pulled|pointing|pointed|armed|brandishing",
    "has_a_gun|has_a_knife|had_a_gun|had_a_knife|with_a_gun|with_a_knife|pulled_a_gun|pulled_a_knife|carrying_a_gun|carrying_a_knife|has_a_weapon|"
    "with_a_bat|has_a_bat|swinging_a_bat|holding_a_bat|gun_in_his|gun_in_her",
    "is_following|keeps_following|been_following|stalking|chasing me|us",
    "breaking_in|intruder|someone_in_the_house|robbery|being_robbed",
    "kicked|jimmied|pried|forced|smashed|broke|broken|busted|bashed|cut door|window|lock|"
    "glass|padlock someone|somebody|intruder|inside|got_in|still_in|gone|missing|stolen",
    "hear|hearing|heard someone|somebody|footsteps|voices walking|moving|downstairs|upstairs|"
    "inside|in_the_house|in_the_attic|in_the_basement",
    "man|guy|someone|somebody|stranger|he|ex banging|pounding|kicking|trying_to_get_in|"
    "trying_to_break|won't_leave|prowling|lurking|peeking|screaming_at|yelling door|doors|"
    "window|windows|outside|yard|porch|stairwell|lobby|hallway",
    "alarm|alarms|sensor going_off|went_off|sounding|tripping|triggered someone|somebody|"
    "footsteps|flashlight|intruder|glass|tamper",
    "tamper|tampered flashlight|home_alone|alone|dead|cut|someone|somebody|outside",
    "nobody_should|no_one_should|nobody's_supposed|no_one's_supposed|nobody_is_supposed|"
    "shouldn't_be_anyone",
    "not_allowed|restraining_order|protective_order|no_contact|injunction|non_molestation|"
    "scared|afraid|panic_button ex|"
    "he|she|father|husband|boyfriend|man|guy|someone|him outside|here|parking_lot|"
    "at_the_door|showed_up|out_front|lobby|banging|right_now",
    "don't_feel_safe|scared_for_my_life|fear_for_my_life|afraid_for_my_life",
    "tried_to_pick_up|trying_to_take|tried_to_take|tried_to_grab|trying_to_grab|"
    "tried_to_lure|not_on_the_list|isn't_on_the_list CHILD|him|her",
    "trapped|stuck in|inside elevator|lift",
    "stuck|trapped|stopped between_floors|halfway|stair_lift|stairlift|elevator|lift PERSON|"
    "inside|on_it|in_it",
    "elevator|lift dropping|dropped|falling|fell|plunged|jerking|shaking screaming|someone|"
    "inside|people|PERSON",
    "stuck|trapped|wedged drain|storm_drain|tracks|railroad|chimney|well|shaft|vent|pipe|"
    "tree|machine|crib",
    "trapped in|inside car|truck|room|bathroom|building|house|closet|freezer|attic|basement|"
    "flat|apartment|home|office|shop|lift",
    "locked_in|locked_inside|shut_in child|kid|baby|dog|cat|pet|son|daughter|toddler|puppy",
    "PERSON not_answering|isn't_answering|won't_answer|not_responding inside|in_there|"
    "on_the_floor|fell|locked|can't_get_in|can't_get_into",
    "CHILD|PET|PERSON inside|in_there|in_the_car|in_the_house|in_with|on_the_floor locked|"
    "shut|bolted|can't_open|can't_get_in|can't_get_into|can't_get_to|can't_reach|won't_open",
    "someone|somebody|stranger|man|guy trying|tried|jiggling|rattling|checking door|handle|"
    "doorknob|knob|lock|window|windows",
    "glass_breaking|breaking_glass|glass_shattering|screaming_for_help|crying_for_help|"
    "yelling_for_help|calling_for_help|screams_for_help|shouting_for_help|shouting_help",
    "hot_car",
    "CHILD|mom|dad|grandma|grandpa missing|wandered_off|wandered_away|can't_find|cannot_find|"
    "nobody_knows_where|no_one_knows_where|wandered_out|by_the_road|by_the_main_road|"
    "in_the_road|near_the_road",
    # Not "drowning in debt" nor "a choking hazard": someone, or water, beside it.
    "drowning|drowned|choking child|kid|son|daughter|baby|toddler|he|she|someone|man|woman|"
    "dog|cat|pool|water|lake|river|pond|tub|bath|food|breathe",
    "kill_myself",
    "suicidal",
    "end_it_all|end_her_life|end_his_life|end_my_life|kill_herself|kill_himself|"
    "take_her_own_life|take_his_own_life|wants_to_die|want_to_die|going_to_end_it|"
    "gonna_end_it|don't_want_to_live|doesn't_want_to_live",
    "in_danger",
    "this_is_an_emergency|it's_an_emergency|it_is_an_emergency|this_is_urgent|it's_urgent",
    *SAID_PLAINLY,
)
