"""The urgent situations each trade knows by default, besides those of any business
(``aicaller.agent.urgent_general``; the phrase syntax is ``aicaller.agent.urgency``'s).

Each trade's list is what its callers say when it cannot wait, written from the trade's own
emergencies (ADR 0010, 0033, 0035): a mover's crew that never came on moving day, a roof open
to the rain, ransomware on every screen, a wasp sting on an allergic child.
"""

from __future__ import annotations

from aicaller.agent.urgent_building import BREAK_IN, ELECTRIC, ESCAPED, GAS, LOCKED_OUT, WATER
from aicaller.agent.urgent_services import CLEANING, IT_SERVICES, MOVING, PEST_CONTROL
from aicaller.businesses.schemas import Trade

# What callers of a plumber say when it cannot wait (general knowledge of the trade: water
# that will not stop, no way to shut it off, water near electricity, sewage in the house).
_PLUMBING = (
    "toilet|tub|sink|drain|washer overflowing|overflow|won't_stop|flooding|spilling",
    "can't|cannot|won't|unable shut_off|turn_off|shutoff|stop|stopcock|stop_tap water|valve|leak|"
    "stopcock|stop_tap",
    "shutoff|shut_off valve broken|stuck|won't|snapped",
    "froze pipe|pipes|line|lines",
    "no|without water house|whole|anywhere|taps|faucets",
    "sump pump failed|stopped|died|broken|quit|working",
    "leaking|dripping|pouring|spraying electrical|panel|outlet|outlets|breaker|wires",
    "basement|crawlspace|cellar filling|flooding|flooded|inches water",
    "coming_through|pouring_through|dripping_through|leaking_through ceiling|light|fixture",
    "water dripping|leaking|pouring|coming|running|dribbling|trickling|seeping light|fixture|"
    "outlet|socket|ceiling_fan|light_switch|fuse_box|consumer_unit",
    "ceiling bulging|sagging|caving|collapsing|soaked",
    "raw_sewage",
    "sewage|sewer|toilet|toilets|drains|shower|tub backed_up|bubbling_up|coming_up",
    "pipe|pipes froze|cracked|split",
    "scalding|boiling water everywhere|pouring|spraying|leaking",
    "hit|cut|nicked|damaged|struck|broke gas_line|gas_pipe|gas_main|gas_meter",
)
# A heating or cooling company's: no heat in a freeze, no cooling for the frail in a heat
# wave, an appliance that may be giving off carbon monoxide, burning, banging or venting.
_HEATING = (
    "no heat|heating|hot_air",
    "furnace|boiler|heater stopped|died|quit|out|broken|working",
    "furnace|boiler|heater|unit|vent|vents|air_con|aircon sparks|smoke|burning|flames",
    "no|out ac|air_conditioning|cooling elderly|baby|heat|hundred",
    "heat|heater|furnace|boiler went|gone|quit out|off|dead",
    "boiler|heater|tank|cylinder|immersion|water_heater|hot_water_tank hissing|rumbling|"
    "bulging|leaking|steam_coming|steam_pouring|venting_steam|too_hot_to|red_hot",
    "no_heat|without_heat freezing|baby|elderly|kids|below",
    "furnace|heater|boiler|gas_fire|gas_heater|gas_stove|fireplace|stove|generator dizzy|"
    "headache|headaches|headachy|nauseous|nausea|sleepy|drowsy|won't_wake",
    "burning|electrical smell|smells|odor vent|vents|register|registers|furnace|unit",
    "relief|pressure valve blowing|spraying|discharging|gushing",
    "furnace|boiler|heater|heat won't|wont|isn't|not|doesn't|stopped turn_on|come_on|"
    "kick_on|start|starting|working|firing",
    "furnace|boiler|heater|water_heater banging|booming|exploded|explosion|boom|screaming|"
    "shrieking|whistling",
    "flue come_off|came_off|fallen_off|detached|disconnected|cracked|hanging|loose fumes|"
    "smell|sick|dizzy|headache|kitchen|inside",
    "gauge|pressure in_the_red|too_high|maxed|pegged|past_the_red|way_up",
)
_COOLING = (
    "ac|air_conditioning|air_conditioner|air_con|aircon|cooling quit|died|stopped|broke|"
    "broken|dead|out|packed_in|failed elderly|baby|infant|hundred|sick|overheating|heatstroke|"
    "server|servers|server_room|forty_degrees|rising|ninety|pensioner|frail|not_right|dizzy|"
    "faint|confused|thirty_eight|thirty_nine",
)
_ROOFING = (
    "tree|branch|limb fell|crashed|came_through|went_through|through|smashed roof|house|"
    "ceiling|bedroom",
    "roof|ceiling caved|collapsed|collapsing|caving|fell_in|giving_way|came_down",
    "rain|water coming_in|pouring_in|pour_in|gushing_in|leaking_in|getting_in|coming_into|"
    "pouring_into|leaking_into|getting_into|dripping_into|"
    "coming_through|pouring_through|dripping_through|running_in",
    "roof|shingles|shingle|sheets|panels|flashing|tarp blew_off|blown_off|torn_off|"
    "ripped_off|peeled_off|blew_away|ripped_away",
    "hole roof|ceiling",
    "ripped|tore|torn|blew|blown|peeled|lifted|took_off|taken_off|came_off|tore_off roof|"
    "shingles|section|piece|part|sheet|tarp|flashing|skylight|felt|membrane|"
    "sheeting off|away|open|up",
    "pouring_into|pouring_in|pouring_onto|coming_in_onto|leaking_onto loft|wiring|electrics|"
    "bedroom|ceiling|house|attic",
    "bucket|buckets|pots|towels everywhere|all_over|catch|catching|under|spots|places",
    "skylight|chimney smashed|shattered|collapsed|fell|toppled|caved",
    _PLUMBING[9],
    "lightning hit|struck|strike",
    "ice_dam|ice_dams water|leaking|ceiling|dripping",
    WATER[-1],
)
TRADES: dict[Trade, tuple[str, ...]] = {
    # A business of no listed trade (a hotel, a restaurant, an appliance repairer) hears the
    # hazards of any building besides those of any caller.
    Trade.GENERAL: (*GAS, *BREAK_IN),
    Trade.PLUMBING_HVAC: (*GAS, *WATER, *_PLUMBING, *_HEATING),
    Trade.HVAC: (*GAS, *_HEATING, *_COOLING, *ELECTRIC[:2], _PLUMBING[6]),
    Trade.MOVING_STORAGE: (*MOVING, *BREAK_IN, *ESCAPED),
    Trade.ROOFING: _ROOFING,
    Trade.CLEANING: CLEANING,
    Trade.PEST_CONTROL: PEST_CONTROL,
    Trade.IT_SERVICES: IT_SERVICES,
    Trade.ELECTRICAL: (
        *ELECTRIC,
        *GAS,
        # An overheating panel or device: a fire about to start (added after reading the
        # development business lakeside_electric's urgent questions, ADR 0035).
        "panel|breaker|breakers|outlet|outlets|switch|plug|meter buzzing|humming|crackling|melted|"
        "melting|scorched|hot_when|hot_to_the_touch|feels_hot|is_hot|getting_hot|really_hot|so_hot",
        # A tingle in water near a dock, pool or tub: electric shock drowning.
        "tingle|tingly|tingling|shock|shocked|zapped swim|swimming|water|pool|dock|lake|tub|shower",
        # Wiring heard arcing inside a wall; a shock from the panel or a fitting.
        "crackling|sizzling|popping|buzzing wall|walls|ceiling|fixture|light_switch",
        "shock|shocked|zapped|jolt panel|outlet|wire|wires|switch|breaker|meter|box|fixture",
        # Something touched that should not carry current: water, a fence, a tap.
        "yelped|yelp|shocked|zapped|jolt|jolted|tingle water|pond|pool|puddle|tap|"
        "fence|railing|metal|gate|radiator|sink",
    ),
    Trade.PROPERTY: (*GAS, *WATER, *LOCKED_OUT, *BREAK_IN, *ELECTRIC[:3]),
    Trade.LOCKSMITH: (
        *LOCKED_OUT,
        *BREAK_IN,
        # A home or shop that cannot be secured, or keys in a stranger's hands.
        "won't_lock|can't_lock|doesn't_lock|won't_latch|can't_secure|won't_close|can't_close "
        "door|house|store|shop|window tonight|alone|break_in|broke_in|kicked|burglar|someone|"
        "night|leave",
        "stolen|stole|snatched|robbed|took|nicked|pinched|swiped keys|key|purse|wallet|bag",
        "stove|oven|burner|iron|candle|bath|tub|faucet locked_out|locked_myself_out|"
        "can't_get_in|locked|left_on|still_on",
        # A key that failed far from help: on a roadside, on a level crossing.
        "stuck|stranded|snapped|broke|won't_start|won't_turn side_of_the_highway|"
        "side_of_the_road|side_of_the_motorway|hard_shoulder|level_crossing|railway_crossing|"
        "train_tracks",
    ),
    Trade.AUTO_REPAIR: (
        "accident|crash|crashed|collision just|hurt|injured|bleeding",
        "brake|brakes|pedal failed|gone|failing|floor|nothing|went_out|gave_out|quit|"
        "stopped_working|don't_work|aren't_working|not_working",
        "no_brakes|brake_failure",
        "smoke|steam|flames|flame hood|bonnet|engine|car",
        "stranded|stuck|broke|broken|died|stalled|quit|flat|out_of_gas|won't_start|dead|"
        "spun_out highway|motorway|freeway|interstate|shoulder|intersection|bridge|tunnel|"
        "tracks|railroad|railway|level_crossing|rail_crossing|train_tracks|bypass|hard_shoulder|"
        "dual_carriageway|live_lane|fast_lane|left_lane|lane|middle_of_the_road|on_ramp|off_ramp|median|"
        "overpass|turnpike|parkway|expressway|pitch_dark|by_myself|alone",
        "ditch|embankment|on_its_side|upside_down|on_its_roof|off_the_road|into_a_pole|"
        "into_a_tree|into_the_water|into_the_river|into_the_lake slid|skidded|spun|went|ran|"
        "drove|tipped|flipped|rolled|overturned|crashed|landed|ended_up|stuck",
        "car_fire",
        "smell|smells|leaking|leak|pouring|gushing|spilling|pissing|streaming gas|gasoline|"
        "fuel|petrol|diesel",
        "steering wheel|failed|locked|gone",
        "bonnet|hood|windscreen|windshield flew_up|flown_up|came_up|popped_up|shattered|"
        "caved_in driving|motorway|highway|freeway|can't_see",
        "wheel|wheels|tire|tyre came_off|come_off|fell_off|flew_off|wobbled_off|rolled_off|"
        "come_loose road|lane|motorway|highway|bypass|driving|drove|pulled_in|pulled_over|"
        "shoulder|dark",
    ),
    Trade.DENTAL: (
        "swollen|swelling|puffed|puffy|huge|ballooned|blown_up face|jaw|cheek|eye",
        "tooth|teeth knocked",
        "abscess",
        "severe|unbearable|excruciating pain|toothache",
        # A dentist's emergencies besides (general knowledge of the trade): bleeding after an
        # extraction that will not stop, infection with pus or fever, a tooth moved or broken
        # by a blow, a jaw that will not open or close, pain that keeps the caller awake.
        "bleeding|bleed hasn't_stopped|not_stopping|can't_stop|won't_stop|doesn't_stop|"
        "still_bleeding",
        "blood|bleeding filling_with|full_of|hours|soaked|pouring|gushing|keeps",
        "pus|infection|infected swollen|swelling|fever|spreading|face|neck|eye|jaw",
        "fever tooth|toothache|gum|jaw|abscess|swollen|swelling|face|cheek|huge",
        "tooth|teeth pushed|shoved|shattered|loose|knocked|broke|broken|cracked|snapped|wobbly|"
        "wiggly|bent|displaced|gone|halfway|sideways|jammed|right_out|clean_out fell|fall|hit|"
        "accident|punched|ball|bike|crash|fight|bleeding|hurts|mouth|face|baseball|softball|hockey|puck|elbow|"
        "trampoline|playground|skateboard|smashed|took",
        "jaw broken|fractured|dislocated|out_of_place|won't_line_up|punched|hit",
        "jaw locked|stuck|dislocated|won't_close|can't_close|won't_open",
        "can't|cannot open mouth",
        "can't|cannot|trouble|hard|difficulty swallow|swallowing",
        "toothache|tooth|pain killing|throbbing|worst|agony|can't_sleep|haven't_slept|"
        "up_all_night|kept_me_up",
        "pain|hurts|toothache|ache so_bad|unbearable|excruciating|can't_see|can't_think|"
        "can't_take|can't_stand|crying|screaming|out_of_my_mind|ten_out_of_ten",
    ),
    Trade.MEDICAL: (
        "allergic_reaction",
        "anaphylaxis|anaphylactic",
        "swollen|swelling throat|tongue|lips",
        "severe|unbearable|excruciating pain",
        "high fever baby|infant|newborn",
    ),
    Trade.VETERINARY: (
        "hit car|truck",
        "sugar_free|sugarless gum|candy|ate|eaten|swallowed",
        "litter|pee|urinate|peeing nothing|straining|blocked|blood",
        "stomach|belly|abdomen puffed|bloated|swollen|hard|distended",
        "trying|tries|keeps throw_up|vomit|retching nothing",
        "dry_heaving|retching",
        "shaking|twitching|trembling|convulsing|seizing floor|won't|minutes|stop",
        "rabbit|bunny|guinea|chinchilla hasn't|not|stopped|won't eating|eaten|eat|poop|poops",
        "ate|eaten|swallowed|chewed|licked|got_into|got_ahold_of|got_hold_of|gobbled|"
        "been_in_the|got_in_the|been_into|pollen|nibbled|nibbling|chewing "
        "chocolate|poison|antifreeze|xylitol|grapes|raisins|"
        "lily|lilies|rat_poison|rat_bait|slug_pellets|dead_rat|medication|pills",
        "bloated|bloat|swollen belly|stomach",
        "can't|cannot stand|walk|pee|urinate",
        "straining pee|urinate|urinating",
        "vomiting|throwing blood",
        "giving birth|labor|labour trouble|stuck|hours",
        "pushing|straining|contractions|in_labor hours|hour|no_puppy|no_kitten|nothing|stuck|"
        "hasn't_come|none",
        "snake|rattlesnake|rattler|copperhead bit|bitten|bite",
        "heatstroke|heat_stroke",
        # A horse's colic: rolling, sweating, looking round at its belly.
        "horse|mare|pony|foal|gelding|stallion|donkey sweating|pawing|thrashing|looking_round|"
        "looking_at_her_belly|looking_at_his_belly|biting_at|won't_get_up|can't_get_up",
        "colic|colicking|colicky",
        "attacked|bitten dog|animal|fox|cat|badger|hawk|predator",
        "leg|ear|eye|tail|skin|wound hanging_off|ripped_open|torn_open|hanging_out",
        "not moving|responding",
    ),
    Trade.LEGAL: (
        "arrested|detained just|now|tonight|today|been|was",
        "taken|took|pulled|kidnapped|abducted|grabbed|snatched daughter|son|child|kids|baby|"
        "him|her|them state|country|school|class|allowed|order|airport|abroad|passport|flight|"
        "border|out_of_the_country",
        "immigration|border_force|border held_at|held_by|detained|detention|custody|"
        "put_on_a_flight|deport_me|deporting_me",
        "police|officers|cops|detectives|detective|officer are_here|here_now|at_the_door|"
        "at_my_door|at_the_house|at_my_house|with_a_warrant|raiding|searching_the|searching_my|"
        "asking_me|knocking|banging|questioning_him|questioning_her|interviewing_him|"
        "interviewing_her|holding_him|holding_her|picked_him_up|picked_her_up|picked_up",
        "landlord locked_us_out|locked_me_out|threw_us_out|throwing_us_out|threw_me_out|"
        "throwing_me_out|cut_off_the_electric|cut_off_the_power|cut_off_the_water|"
        "cut_the_power|cut_the_electric",
        "not_allowed|violating|violated|breaking order|custody",
        "already|just wired payment|money|funds|deposit|down_payment",
        "bank_information|bank_details|wiring_instructions new|changed|email|different",
        "hospice|deathbed|any_day_now|life_support|is_dying",
        "in_jail|the_police_station|a_police_station|in_custody|in_a_cell|in_the_cells",
        "court|hearing today|tomorrow|morning|in_an_hour|this_afternoon|in_two_hours|"
        "in_half_an_hour",
        "remanded|remanded_in_custody|in_the_cells",
        "under_caution|voluntary_interview|police_interview today|tonight|now|this_afternoon|"
        "tomorrow|morning|in_an_hour|this_evening",
        "bailiffs|enforcement_agents|enforcement_officers|repo_men at_the_door|at_my_door|here|"
        "outside|right_now|taking|take",
        "restraining_order|protective_order",
        "threatening|threatened hurt|kill|harm",
        "domestic_violence",
        "evicted|locked today|tonight|now",
        "deadline today|tomorrow",
    ),
}
