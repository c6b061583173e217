"""The urgent situations of the trades that serve people at home or at work rather than
repair a building: a mover's, a cleaner's, a pest controller's, an IT company's (their
callers' emergencies, ADR 0035, 0040 and 0045; the phrase syntax is
``aicaller.agent.urgency``'s).
"""

from __future__ import annotations

from aicaller.agent.urgent_building import ESCAPED, GAS, WATER

MOVING = (
    # A home or load left open by the crew.
    "door|doors|gate|garage|unit|storage|truck|back_door wide_open|left_open|left_unlocked|"
    "won't_lock|can't_lock left|gone|dark|night|tonight|nobody|drove_off|went_home|"
    "getting_dark",
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
    "lock|padlock cut|cut_off|broken|smashed|forced|gone|missing empty|gone|stolen|missing|"
    "cleared_out|taken",
    "gone_with|left_with|disappeared_with|drove_off_with|driven_off_with|made_off_with "
    "not_answering|won't_answer|isn't_answering|not_picking_up|can't_reach|can't_get_hold|"
    "no_sign|hours",
    "stolen|stole|theft|robbed belongings|furniture|boxes|items|stuff|unit|storage|truck|"
    "things|jewelry",
    "drunk|intoxicated|fighting|smells_of_drink|smells_of_alcohol|smells_of_booze|"
    "been_drinking|slurring movers|crew|driver|guy|guys|worker|workers|mover",
    # What moving an appliance breaks: its gas or water line.
    *GAS[:2],
    *WATER[:3],
)
CLEANING = (
    "mixed|mixing|combined bleach|ammonia|chemicals|cleaners|products fumes|smell|coughing|"
    "dizzy|breathe|burning|eyes|sick|choking",
    "bleach|chemical|chemicals|cleaner|product|spray|solution eye|eyes|splashed|burned|"
    "burning|burns",
    # A spill of something caustic spreading where children or pets are.
    "spilled|spilt|spilling|spreading|dropped|knocked_over|tipped_over|leaking|leaked "
    "bleach|chemical|chemicals|acid|ammonia|solvent|tub|drum|container "
    "CHILD|PET|play_area|fumes|coughing|burning|breathe",
    *WATER,
    *ESCAPED,
)
PEST_CONTROL = (
    # Vermin in front of the people a business serves, now.
    "running|scurrying|crawling|running_around|running_through|running_across rat|rats|mice|"
    "mouse|cockroach|cockroaches|roaches middle_of_service|during_service|customers|diners|"
    "guests|patients|right_now|in_front_of",
    "stung|bitten|bit_me|bit_my|bit_him|bit_her allergic|swelling|swollen|breathe|breathing|"
    "hives|face|throat|dizzy",
    "stung|been_stung CHILD",
    "rat|rats|mouse|mice cot|crib|with_my_baby|with_the_baby|in_the_pram|pram",
    "swarm|swarming|nest|hive|pouring|coming_out|loads_of|lots_of|dozens|hundreds|full_of "
    "bee|bees|wasp|wasps|hornet|hornets|yellow_jackets "
    "inside|house|room|bedroom|kitchen|attacking|chasing|stinging|kids|door|lounge|"
    "living_room|sitting_room|nursery|all_over|allergic",
    "rattlesnake|rattler|copperhead|cottonmouth|water_moccasin|venomous_snake|poisonous_snake|"
    "black_widow|brown_recluse|scorpion found|inside|garage|house|bedroom|kitchen|bit|bitten|"
    "stung|there's|under|in",
    "ate|eaten|licked|swallowed|drank|chewed|got_into poison|bait|pesticide|spray|chemicals|"
    "rat_poison|ant_bait|traps|insecticide|pellets",
    "sprayed|spray|spraying|pesticide|chemical|fumigation|fumigated|bomb|bombs|fogger|foggers "
    "eyes|sick|vomiting|dizzy|"
    "rash|burning|breathe|coughing|headache|throwing_up|drooling|twitching|foaming|"
    "collapsed|wobbly",
    "bat|raccoon|skunk|snake|fox|coyote|possum|opossum|squirrel bedroom|house|room|kitchen|"
    "crib|living_room|bed",
    "bitten|bit|bites rat|rats|mouse|mice|bat|fox|squirrel|snake|spider CHILD|PERSON|me|face|"
    "hand|finger|leg|foot",
    "bit_my|bit_me|bit_him|bit_her|bit_our|bitten_by bat|raccoon|fox|rat|snake|animal|"
    "skunk|spider|squirrel",
    *ESCAPED,
)
IT_SERVICES = (
    "network|internet|server|servers|system|systems|email|website|computers|phones|"
    "registers|everything down|offline|crashed|dead|not_working|went_down whole|all|entire|"
    "can't|cannot|business|orders|customers|patients|nobody|everyone|office",
    "network|internet|server|servers|system|systems|email|computers|phones|registers|"
    "machines|terminals|readers|records|tills|checkout|payments|files|everything down|offline|"
    "crashed|dead|not_working|went_down|locked_up|frozen|won't_open|won't_load|won't_turn_on|"
    "vanished|disappeared|wiped|deleted|missing|"
    "won't_boot|can't_open|can't_access|can't_get_into whole|all|entire|none|every|any|"
    "business|orders|customers|patients|nobody|everyone|office|line",
    "bitcoin|crypto|pay_to_get|pay_to_unlock|files_back|decrypt|ransom",
    "mouse|cursor|screen moving|clicking|typing by_itself|on_its_own",
    "someone|somebody|hacker|they've|stranger changed_all|reset_all|changed_every|"
    "changed_everyone's passwords|password|logins",
    "someone|somebody|hacker|they're transferring|draining|emptying|withdrawing|moving "
    "money|funds|account|accounts|savings",
    "locked_out_of|locked_us_out_of|can't_log_into|can't_get_into everything|all_our|every|whole",
    "someone|somebody|hacker|stranger|scammer|they|they're in_our|into_our|inside_our|"
    "logged_into|remoted_into|on_my|on_our|in_my|into_my|controlling "
    "server|system|network|computer|computers|email|account|laptop|pc|mac|screen|mouse "
    "right_now|now|currently",
    # Access handed to a caller who pretended to be someone else; a site or mailbox taken
    # over and working against its owner now.
    "pretending|posing|claiming_to_be|impersonating|scammer|scam gave|given|told|typed|"
    "entered|handed password|passwords|login|logins|details|access|code|pin|bank",
    "hacked|defaced|hijacked|compromised website|site|page|homepage|account|accounts|email|"
    "server|network|system",
    "sending|spamming|sent|blasting|firing_off can't_stop|won't_stop|on_its_own|by_itself|"
    "right_now|out_of_control|hundreds_of_spam|thousands_of_spam email|emails|account|"
    "accounts|messages|contacts",
    "been_hacked|got_hacked|were_hacked|was_hacked|hacked_into|ransom_note|ransom_demand|"
    "files_encrypted|encrypted_all|encrypted_our|encrypted_everything|data_breach|"
    "got_breached|were_breached|been_breached|was_breached|been_compromised|"
    "was_compromised|were_compromised|is_compromised",
    "ransomware got|hit|have|encrypted|locked|attack|screen|screens|files|infected|demand",
    "got_into|logged_into|accessed|broke_into|took_over|taken_over email|account|accounts|"
    "system|server|network|computer|computers|bank",
    "phishing|scam|fake email|emails|link|wire|invoice clicked|sent|paid|wired|entered|gave",
    "virus|malware|ransomware spreading|spread|every_computer|all_computers|whole_network|"
    "deleting|encrypting|wiping|as_we_speak|right_now",
    "server|servers|server_room overheating|overheated|smoking|burning|beeping|alarm",
)
