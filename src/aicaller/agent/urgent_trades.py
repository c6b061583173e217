"""The urgent situations each trade knows by default, besides those of any business
(``aicaller.agent.urgent_general``; the phrase syntax is ``aicaller.agent.urgency``'s).

Each trade's list is what its callers say when it cannot wait, written from the trade's own
emergencies (ADR 0010, 0033, 0035): a mover's crew that never came on moving day, a roof open
to the rain, ransomware on every screen, a wasp sting on an allergic child.
"""

from __future__ import annotations

from aicaller.agent.urgent_building import BREAK_IN, ELECTRIC, ESCAPED, GAS, LOCKED_OUT, WATER
from aicaller.businesses.schemas import Trade

# What callers of a plumber say when it cannot wait (general knowledge of the trade: water
# that will not stop, no way to shut it off, water near electricity, sewage in the house).
_PLUMBING = (
    "toilet|tub|sink|drain|washer overflowing|overflow|won't_stop|flooding|spilling",
    "can't|cannot|won't|unable shut_off|turn_off|shutoff|stop water|valve|leak",
    "shutoff|shut_off valve broken|stuck|won't|snapped",
    "froze pipe|pipes|line|lines",
    "no|without water house|whole|anywhere|taps|faucets",
    "sump pump failed|stopped|died|broken|quit|working",
    "leaking|dripping|pouring|spraying electrical|panel|outlet|outlets|breaker|wires",
    "basement|crawlspace|cellar filling|flooding|flooded|inches water",
    "coming_through|pouring_through|dripping_through|leaking_through ceiling|light|fixture",
    "water dripping|leaking|pouring|coming|running light|fixture|outlet|socket|ceiling_fan",
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
    "furnace|boiler|heater|unit sparks|smoke|burning|flames",
    "no|out ac|air_conditioning|cooling elderly|baby|heat|hundred",
    "heat|heater|furnace|boiler went|gone|quit out|off|dead",
    "boiler|heater|tank hissing|rumbling|bulging|leaking",
    "no_heat|without_heat freezing|baby|elderly|kids|below",
    "furnace|heater|boiler dizzy|headache|headaches|nauseous|nausea",
    "burning|electrical smell|smells|odor vent|vents|register|registers|furnace|unit",
    "relief|pressure valve blowing|spraying|discharging|gushing",
    "furnace|boiler|heater|heat won't|wont|isn't|not|doesn't|stopped turn_on|come_on|"
    "kick_on|start|starting|working|firing",
    "furnace|boiler|heater|water_heater banging|booming|exploded|explosion|boom|screaming|"
    "shrieking|whistling",
    "gauge|pressure in_the_red|too_high|maxed|pegged|past_the_red|way_up",
)
_COOLING = (
    "ac|air_conditioning|air_conditioner|cooling quit|died|stopped|broke|broken|dead|out "
    "elderly|baby|infant|hundred|sick|overheating|heatstroke",
)
_MOVING = (
    # Moving day itself: no crew, a truck in trouble with everything the family owns, a crew
    # holding the load for more money, or a crew unfit to work.
    "movers|crew|truck|driver|team|nobody|no_one never_showed|didn't_show|didn't_come|"
    "haven't_shown|hasn't_shown|haven't_arrived|hasn't_arrived|didn't_arrive|never_came|"
    "never_arrived|no_show|not_here|still_not|isn't_here|aren't_here|hours_late|"
    "still_waiting|hasn't_come|haven't_come|still_hasn't|not_here_yet|no_sign today|now|hours|"
    "waiting|closing|tonight|noon|morning|out|keys",
    "truck|van|trailer accident|crashed|crash|collision|wreck|wrecked|overturned|flipped|"
    "stolen|broke_down|broken_down",
    "won't|refuse|refusing|refused|refuses unload|deliver|release|give_back|hand_over pay|"
    "paid|money|more|cash|extra|unless|until",
    "hostage",
    "stolen|stole|theft|robbed belongings|furniture|boxes|items|stuff|unit|storage|truck|"
    "things|jewelry",
    "drunk|intoxicated|fighting movers|crew|driver|guy|guys|worker|workers|mover",
    # What moving an appliance breaks: its gas or water line.
    *GAS[:2],
    *WATER[:3],
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
    "shingles|section|piece|part|sheet|tarp|flashing|skylight off|away|open|up",
    "bucket|buckets|pots|towels everywhere|all_over|catch|catching|under|spots|places",
    "skylight|chimney smashed|shattered|collapsed|fell|toppled|caved",
    _PLUMBING[9],
    "lightning hit|struck|strike",
    "ice_dam|ice_dams water|leaking|ceiling|dripping",
    WATER[-1],
)
_CLEANING = (
    "mixed|mixing|combined bleach|ammonia|chemicals|cleaners|products fumes|smell|coughing|"
    "dizzy|breathe|burning|eyes|sick|choking",
    "bleach|chemical|chemicals|cleaner|product|spray|solution eye|eyes|splashed|burned|"
    "burning|burns",
    *WATER,
    *ESCAPED,
)
_PEST_CONTROL = (
    "stung|bitten|bit_me|bit_my|bit_him|bit_her allergic|swelling|swollen|breathe|breathing|"
    "hives|face|throat|dizzy",
    "swarm|swarming|nest|hive|pouring|coming_out bee|bees|wasp|wasps|hornet|hornets|yellow_jackets "
    "inside|house|"
    "room|bedroom|kitchen|attacking|chasing|stinging|kids|door",
    "rattlesnake|rattler|copperhead|cottonmouth|water_moccasin|venomous_snake|poisonous_snake|"
    "black_widow|brown_recluse|scorpion found|inside|garage|house|bedroom|kitchen|bit|bitten|"
    "stung|there's|under|in",
    "ate|eaten|licked|swallowed|drank|chewed|got_into poison|bait|pesticide|spray|chemicals|"
    "rat_poison|ant_bait|traps|insecticide|pellets",
    "sprayed|spray|spraying|pesticide|chemical|fumigation|fumigated|bomb|bombs|fogger|foggers "
    "eyes|sick|vomiting|dizzy|"
    "rash|burning|breathe|coughing|headache|throwing_up",
    "bat|raccoon|skunk|snake|fox|coyote|possum|opossum|squirrel bedroom|house|room|kitchen|"
    "crib|living_room|bed",
    "bit_my|bit_me|bit_him|bit_her|bit_our|bitten_by bat|raccoon|fox|rat|snake|animal|"
    "skunk|spider|squirrel",
    *ESCAPED,
)
_IT_SERVICES = (
    "network|internet|server|servers|system|systems|email|website|computers|phones|"
    "registers|everything down|offline|crashed|dead|not_working|went_down whole|all|entire|"
    "can't|cannot|business|orders|customers|patients|nobody|everyone|office",
    "network|internet|server|servers|system|systems|email|computers|phones|registers|"
    "machines|terminals|readers|records|tills|checkout|payments|files|everything down|offline|"
    "crashed|dead|not_working|went_down|locked_up|frozen|won't_open|won't_load|won't_turn_on|"
    "won't_boot|can't_open|can't_access|can't_get_into whole|all|entire|none|every|any|"
    "business|orders|customers|patients|nobody|everyone|office|line",
    "bitcoin|crypto|pay_to_get|pay_to_unlock|files_back|decrypt|ransom",
    "mouse|cursor|screen moving|clicking|typing by_itself|on_its_own",
    "someone|somebody|hacker|stranger in_our|into_our|inside_our|logged_into|remoted_into "
    "server|system|network|computer|computers|email|account right_now|now|currently",
    "been_hacked|got_hacked|were_hacked|was_hacked|hacked_into|ransom_note|ransom_demand|"
    "files_encrypted|encrypted_all|encrypted_our|encrypted_everything|data_breach|"
    "got_breached|were_breached|been_breached|was_breached|been_compromised|"
    "was_compromised|were_compromised|is_compromised",
    "ransomware got|hit|have|encrypted|locked|attack|screen|screens|files|infected|demand",
    "got_into|logged_into|accessed|broke_into|took_over|taken_over email|account|accounts|"
    "system|server|network|computer|computers|bank",
    "phishing|scam|fake email|emails|link|wire|invoice clicked|sent|paid|wired|entered|gave",
    "virus|malware|ransomware spreading|spread|every_computer|all_computers|whole_network",
    "server|servers|server_room overheating|overheated|smoking|burning|beeping|alarm",
)

TRADES: dict[Trade, tuple[str, ...]] = {
    # A business of no listed trade (a hotel, a restaurant, an appliance repairer) hears the
    # hazards of any building besides those of any caller.
    Trade.GENERAL: (*GAS, *BREAK_IN),
    Trade.PLUMBING_HVAC: (*GAS, *WATER, *_PLUMBING, *_HEATING),
    Trade.HVAC: (*GAS, *_HEATING, *_COOLING, *ELECTRIC[:2], _PLUMBING[6]),
    Trade.MOVING_STORAGE: (*_MOVING, *BREAK_IN, *ESCAPED),
    Trade.ROOFING: _ROOFING,
    Trade.CLEANING: _CLEANING,
    Trade.PEST_CONTROL: _PEST_CONTROL,
    Trade.IT_SERVICES: _IT_SERVICES,
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
    ),
    Trade.PROPERTY: (*GAS, *WATER, *LOCKED_OUT, *ELECTRIC[:3]),
    Trade.LOCKSMITH: (
        *LOCKED_OUT,
        *BREAK_IN,
        # A home or shop that cannot be secured, or keys in a stranger's hands.
        "won't_lock|can't_lock|doesn't_lock|won't_latch|can't_secure|won't_close|can't_close "
        "door|house|store|shop|window tonight|alone|break_in|broke_in|kicked|burglar|someone|"
        "night|leave",
        "stolen|stole|snatched|robbed|took keys|key|purse|wallet|bag",
        "stove|oven|burner|iron|candle|bath|tub|faucet locked_out|locked_myself_out|"
        "can't_get_in|locked|left_on|still_on",
    ),
    Trade.AUTO_REPAIR: (
        "accident|crash|crashed|collision just|hurt|injured|bleeding",
        "brake|brakes|pedal failed|gone|failing|floor|nothing|went_out|gave_out|quit|"
        "stopped_working|don't_work|aren't_working|not_working",
        "no_brakes|brake_failure",
        "smoke|steam|flames|flame hood|bonnet|engine|car",
        "stranded|stuck|broke|broken|died|stalled|quit|flat|out_of_gas|won't_start|dead|"
        "spun_out highway|motorway|freeway|interstate|shoulder|intersection|bridge|tunnel|"
        "tracks|railroad|fast_lane|left_lane|lane|middle_of_the_road|on_ramp|off_ramp|median|"
        "overpass|turnpike|parkway|expressway|pitch_dark|by_myself|alone",
        "ditch|embankment|on_its_side|upside_down|on_its_roof|off_the_road|into_a_pole|"
        "into_a_tree|into_the_water|into_the_river|into_the_lake slid|skidded|spun|went|ran|"
        "drove|tipped|flipped|rolled|overturned|crashed|landed|ended_up|stuck",
        "car_fire",
        "smell|smells|leaking|leak gas|gasoline|fuel|petrol",
        "steering wheel|failed|locked|gone",
        "wheel|tire came_off|fell_off|flew_off",
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
        "pus|infection|infected swollen|swelling|fever|spreading|face|neck|eye|jaw",
        "fever tooth|toothache|gum|jaw|abscess|swollen|swelling|face|cheek|huge",
        "tooth|teeth pushed|shoved|shattered|loose|knocked|broke|broken|cracked|snapped|wobbly|"
        "wiggly|bent|displaced|gone|halfway|sideways|jammed fell|fall|hit|accident|punched|"
        "ball|bike|crash|fight|bleeding|hurts|mouth|face|baseball|softball|hockey|puck|elbow|"
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
        "ate|eaten|swallowed|chewed|licked|got_into|got_ahold_of|got_hold_of|gobbled "
        "chocolate|poison|antifreeze|xylitol|grapes|raisins|"
        "lily|lilies|rat|medication|pills",
        "bloated|bloat|swollen belly|stomach",
        "can't|cannot stand|walk|pee|urinate",
        "straining pee|urinate|urinating",
        "vomiting|throwing blood",
        "giving birth|labor|labour trouble|stuck|hours",
        "pushing|straining|contractions|in_labor hours|hour|no_puppy|no_kitten|nothing|stuck|"
        "hasn't_come|none",
        "snake|rattlesnake|rattler|copperhead bit|bitten|bite",
        "heatstroke|heat_stroke",
        "attacked|bitten dog|animal",
        "not moving|responding",
    ),
    Trade.LEGAL: (
        "arrested|detained just|now|tonight|today|been|was",
        "taken|took|pulled|kidnapped|abducted|grabbed|snatched daughter|son|child|kids|baby|"
        "him|her|them state|country|school|class|allowed|order",
        "not_allowed|violating|violated|breaking order|custody",
        "already|just wired payment|money|funds|deposit|down_payment",
        "bank_information|bank_details|wiring_instructions new|changed|email|different",
        "hospice|deathbed|any_day_now|life_support|is_dying",
        "in_jail|police_station",
        "court|hearing today|tomorrow|morning",
        "restraining_order|protective_order",
        "threatening|threatened hurt|kill|harm",
        "domestic_violence",
        "evicted|locked today|tonight|now",
        "deadline today|tomorrow",
    ),
}
