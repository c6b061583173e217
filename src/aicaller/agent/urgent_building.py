"""The hazards of a building that several trades hear (a plumber, a property manager, a
locksmith, a mover): gas, water, loose electricity, a door that shuts someone out or was forced,
a pet that got out (``aicaller.agent.urgency`` explains the phrase syntax).
"""

from __future__ import annotations

GAS = (
    "smell|smells|smelling|odor|odour|leak|leaking|hissing gas|propane",
    "rotten_eggs",
    "carbon_monoxide|co going_off|beeping|went_off|sounding|leak|leaking|poisoning|poisoned|"
    "sick|dizzy|headache|headaches|nauseous",
    "co alarm|detector",
    "alarm|detector beeping|going_off carbon|co|gas",
    # An appliance burning badly: soot, a flame gone yellow, and people feeling it.
    "soot|sooty|black_marks|yellow_flame|orange_flame|lazy_flame|gone_orange|gone_yellow "
    "headache|headaches|sick|dizzy|drowsy|sleepy|nauseous|fainted",
)
WATER = (
    "flood|flooding|flooded",
    "burst|broken|bursting|spraying|gushing pipe|pipes|main",
    # The same said as callers say it ("a pipe busted", "the water line broke").
    "broke|busted|bust|popped|blew|ruptured pipe|pipes|water_main|water_line|supply_line|hose|"
    "main_line|mains_pipe|service_line",
    "like_a_geyser|like_a_fountain|gushing_noise|gushing_sound|rushing_water_noise",
    "water pouring|gushing|everywhere|spraying|coming|shooting|spewing|squirting|pissing|cascading",
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
LOCKED_OUT = (
    "locked_out|locked_myself_out|locked_ourselves_out|locked_me_out|locked_us_out|"
    "stuck_outside|can't_get_in|can't_get_into|keys_inside|keys_are_inside|left_my_keys",
    "locked inside|car|house|room",
    "locked_my_keys|locked_the_keys|locked_our_keys|locked_his_keys|locked_her_keys|"
    "keys_locked|keys_are_locked|keys_got_locked|locked_keys",
    "in_the_lock key|keys snapped|broke|broken|stuck|jammed open|opening|staff|customers|"
    "waiting|can't_get_in|locked_out",
    # Shut out where that puts the caller at risk: the cold, the dark, a baby, crutches.
    "locked_out|locked_myself_out|can't_get_in|lost_my_keys|lost_keys|lost_the_keys|key|keys|"
    "lock won't_turn|won't_work|won't_open|jammed|stuck|snapped|broke|broken|lost|lost_my "
    "freezing|pitch_dark|midnight|crutches|wheelchair|pram|buggy|newborn|infant|"
    "nobody_else_home|"
    "nobody_home|oxygen|insulin",
)
BREAK_IN = (
    "break_in|broken_into|burglary|burgled|burglarized",
    "door|doors|lock|window|entrance|gate|front_door smashed|kicked_in|been_forced|was_forced|"
    "bashed_in|pried|jemmied|jimmied wide_open|in_and_out|wandering|strangers|someone|"
    "somebody|hanging_off|off_its_hinges|can't_lock|won't_lock|won't_shut",
)
# Pets and children getting out of an open door on a job (movers, cleaners, exterminators).
ESCAPED = (
    "dog|cat|pet|puppy|kitten got_out|escaped|ran_off|ran_away|missing|gone|legged_it|bolted|"
    "run_off|shot_out|onto_the_road|into_the_road",
)
