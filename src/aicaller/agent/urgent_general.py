"""The urgent situations of any business, the groups trades share, and the words that make a
sentence about them no emergency (``aicaller.agent.urgency`` explains the phrase syntax).

Written from what callers of any business say when someone is hurt, something is burning,
water is pouring in, electricity is loose, someone is in danger or trapped: the caller of a
law office or a mover can describe a collapse as well as a clinic's can (ADR 0035).
"""

from __future__ import annotations

GENERAL = (
    # Someone's body: the heart, breathing, consciousness, blood, bones, a fall, a blow.
    "chest pain|pains",
    "chest_feels_tight|chest_is_tight|chest_tightness|tight_chest|tightness_in_my_chest|"
    "pressure_in_my_chest|chest_feels_heavy|chest_hurts|chest_is_hurting",
    "heart_attack",
    "a_stroke|having_stroke",
    "can't|cannot|not|trouble|struggling|difficulty breathe|breathing",
    "unconscious|unresponsive|collapsed|fainted",
    "passed_out|knocked_out_cold",
    "bleed|bleeding|blood lot|badly|heavily|everywhere|won't",
    "deep_cut|bad_cut|badly_cut|cut_open|gash|gashed|deep_wound|open_wound|sliced_open|"
    "cut_himself|cut_herself|cut_myself",
    "seizure|convulsing|convulsions",
    "overdose|overdosed|been_poisoned|was_poisoned|got_poisoned|is_poisoned|he_poisoned|"
    "she_poisoned",
    "swallowed|drank|ingested|ate pills|medicine|medication|bleach|chemicals|chemical|poison|"
    "detergent|battery|antifreeze|cleaner",
    "broken|broke|fractured bone|bones|ankle|wrist|hip|ribs|collarbone",
    "broken_arm|broken_leg|arm_is_broken|leg_is_broken|broke_his_arm|broke_her_arm|"
    "broke_my_arm|broke_his_leg|broke_her_leg|broke_my_leg",
    "hit|hits|struck|banged|bumped head",
    "fell|fallen|falling off|from|down|through ladder|roof|stairs|staircase|ramp|truck|"
    "scaffold|scaffolding|balcony",
    "trapped|pinned|crushed under|beneath",
    "crushed|smashed|pinned|squashed foot|hand|leg|fingers|finger|arm|chest",
    "fell_on|fallen_on|fell_onto|landed_on|dropped_on|toppled_onto|collapsed_on someone|him|"
    "her|me|husband|wife|son|daughter|kid|child|baby|worker|guy|man|woman|leg|foot|hand|head",
    "is_hurt|got_hurt|badly_hurt|seriously_hurt|really_hurt|is_injured|got_injured|"
    "badly_injured|seriously_injured|just_hurt|he_hurt|she_hurt|he_injured|she_injured",
    "accident|crash|crashed|collision|wreck|wrecked hurt|injured|bleeding|ambulance|911",
    "hit_by|struck_by|run_over_by|got_run_over|was_run_over car|truck|van|vehicle|bus|"
    "motorcycle|driver",
    "car|truck|van|vehicle|driver crashed|drove|smashed|slammed|plowed into|through",
    "allergic_reaction",
    "anaphylaxis|anaphylactic",
    "throat|tongue|lips swollen|swelling|closing|tight",
    "heatstroke|heat_stroke|heat_exhaustion",
    "overheating|overheated mother|father|elderly|baby|kid|child|he|she|someone|worker|mover|"
    "dog|cat|grandma|grandpa",
    # Signs of heat illness and of a stroke, said in plain words (added after reading the
    # development movers' questions, ADR 0035).
    "heat|hot|sun|ninety|hundred|degrees|heatwave confused|confusion|disoriented|dizzy|"
    "fainted|not_making_sense|slurring|stopped_sweating|throwing_up|vomiting",
    "slurring|slurred speech|words|talking|suddenly",
    "he|she|guy|worker|mover|husband|wife|mother|father|someone not_making_sense|"
    "isn't_making_sense|incoherent|disoriented|slurring",
    "face|smile drooping|droopy|drooped",
    "ambulance|paramedics|911 on_the_way|coming|called|calling|waiting|here|arrived",
    # Fire, smoke, explosion, fumes.
    "on_fire",
    "caught_fire",
    "house_fire|building_fire|kitchen_fire|garage_fire|office_fire|grease_fire|"
    "electrical_fire|fire_in_the|fire_in_my|fire_in_our|fire_in_a|fire_at_the|fire_at_our|"
    "there's_a_fire|fire_started|fire_broke_out|started_a_fire",
    "smoke coming|pouring|filling|everywhere|billowing",
    "explosion|exploded|blew_up",
    "carbon_monoxide",
    "exhaust|fumes dizzy|headache|inside|faint|sleepy",
    "fumes everywhere|overwhelming|choking|coughing",
    # Electricity loose where people are.
    "electrocuted",
    "electric|electrical shock",
    "power|electric line|lines down|fell|sparking|touching|lying",
    "live_wire|live_wires|exposed_wire|exposed_wires|downed_line|downed_lines|wires_down",
    "wire|wires hanging|dangling|down|sparking|fallen|snapped",
    "sparks|sparking|arcing outlet|outlets|wall|panel|wires|wire|wiring|socket|breaker|cord",
    # Water where it does damage by the minute.
    "water|rain pouring|gushing|spraying|shooting|streaming|rushing through|everywhere|"
    "all_over|into",
    "flood|flooding|flooded basement|room|house|home|office|kitchen|floor|building|unit|"
    "apartment|store|shop|garage",
    # Danger from someone; trapped; a child lost.
    "kill|hurt|hit|shoved|pushed|punched|beat|beating|attacked|threatened|choked|strangled me",
    "gun|knife|weapon threatening|waving|pulled|pointing|pointed|armed|brandishing",
    "is_following|keeps_following|been_following|stalking|chasing me|us",
    "breaking_in|intruder|someone_in_the_house|robbery|being_robbed",
    "trapped|stuck in|inside elevator|lift",
    "trapped in|inside car|truck|room|bathroom|building|house|closet|freezer|attic|basement",
    "locked_in|locked_inside|shut_in child|kid|baby|dog|cat|pet|son|daughter|toddler|puppy",
    "hot_car",
    "child|kid|son|daughter|baby|toddler missing|wandered_off|can't_find|cannot_find",
    # Not "drowning in debt" nor "a choking hazard": someone, or water, beside it.
    "drowning|drowned|choking child|kid|son|daughter|baby|toddler|he|she|someone|man|woman|"
    "dog|cat|pool|water|lake|river|pond|tub|bath|food|breathe",
    "kill_myself",
    "suicidal",
    "in_danger",
    "this_is_an_emergency|it's_an_emergency|it_is_an_emergency|this_is_urgent|it's_urgent",
)

# Heard near a situation, these make it no emergency now: the past, a hypothetical, someone
# else in general, or the caller asking whether the business offers a service for it.
NOT_NOW = (
    "last_year|last_month|last_summer|last_winter|last_spring|last_fall|last_autumn|"
    "last_time|last_week|years_ago|months_ago|weeks_ago|year_ago|month_ago|week_ago|"
    "a_while_ago|while_back|used_to",
    "in_case|what_if|what_happens_if|if_ever|ever_happens|hypothetically|prevent|preventing|"
    "even_if|if_someone|if_something|if_anything|if_anyone|if_a|if_an|if_you|if_your|if_the|"
    "if_one",
    "so_it_doesn't|so_it_won't|so_they_don't|so_they_won't|so_nothing|so_that|make_sure",
    "people_who|customers_who|families_who|anyone_who|those_who|clients_who|folks_who",
    "do_you_treat|do_you_fix|do_you_repair|do_you_clean|do_you_handle|do_you_install|"
    "do_you_remove|do_you_offer|do_you_sell|do_you_service|do_you_do|do_you_cover|"
    "do_you_help|do_you_deal|do_you_tow|do_you_move|do_you_inspect|do_you_protect|"
    "do_you_replace|do_you_get_rid|do_you_provide|do_you_work_on|you_guys_do|you_guys_fix|"
    "you_guys_handle|you_guys_treat|you_guys_offer|you_guys_repair|y'all_do",
)

GAS = (
    "smell|smells|smelling|odor|odour|leak|leaking|hissing gas|propane",
    "rotten_eggs",
    "carbon_monoxide",
    "co alarm|detector",
    "alarm|detector beeping|going_off carbon|co|gas",
)
WATER = (
    "flood|flooding|flooded",
    "burst|broken|bursting|spraying|gushing pipe|pipes|main",
    # The same said as callers say it ("a pipe busted", "the water line broke").
    "broke|busted|bust|popped|blew|ruptured pipe|pipes|water_main|water_line|supply_line|hose",
    "water pouring|gushing|everywhere|spraying|coming|shooting|spewing|squirting",
    "sewage|sewer backing|overflowing|coming",
    "water_heater leaking|burst|flooding|pouring",
    "frozen pipe|pipes",
    "ceiling collapsing|leaking|dripping|falling",
)
ELECTRIC = (
    "sparks|sparking|arcing",
    "burning|smoke smell|smells|coming",
    "electric|electrical shock",
    "electrocuted",
    "power|electric line|lines down",
    "wire|wires live|exposed|hanging",
)
LOCKED_OUT = ("locked_out", "locked inside|car|house|room", "locked keys")
BREAK_IN = ("break_in|broken_into|burglary|burgled|burglarized",)
# Pets and children getting out of an open door on a job (movers, cleaners, exterminators).
ESCAPED = ("dog|cat|pet|puppy|kitten got_out|escaped|ran_off|ran_away|missing|gone",)
