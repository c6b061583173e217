"""A third set of callers' sentences, written after the second round of ADR 0040's rules and
never used to change them: what these sentences score is the estimate of how the rules do on
words nobody tuned for (ADR 0040, docs/benchmarks.md), until ADR 0045 changed rules for the
six it still got wrong; the fifth set is now that estimate. A sentence the rules get wrong is
listed in ``WRONG`` with the reason, and its test expects the wrong answer (strict xfail), so
that a later rule that fixes it says so.
"""

from __future__ import annotations

import pytest

from aicaller.agent.urgency import urgent_situation
from aicaller.businesses.schemas import Trade

T = Trade

URGENT: list[tuple[Trade, str]] = [
    (T.PLUMBING_HVAC, "hi yeah the main line just blew in the front yard, it's like a geyser"),
    (T.PLUMBING_HVAC, "there's sewer water all over the basement floor and it's still coming"),
    (T.PLUMBING_HVAC, "I think a pipe froze and cracked, there's water running down the wall"),
    (T.PLUMBING_HVAC, "our furnace quit and my wife is on dialysis, it's forty in the house"),
    (T.PLUMBING_HVAC, "the whole house smells like rotten eggs"),
    (T.PLUMBING_HVAC, "the water heater is leaking really bad, there's a puddle growing"),
    (T.PLUMBING_HVAC, "the upstairs bathroom is leaking through the kitchen light"),
    (T.PLUMBING_HVAC, "the toilet won't stop filling and it's spilling over onto the floor"),
    (T.PLUMBING_HVAC, "my carbon monoxide alarm went off and now I feel sick"),
    (T.PLUMBING_HVAC, "I hear a gushing noise under the house and the floor is soaked"),
    (T.DENTAL, "I fell down the stairs and broke my front teeth, there's blood everywhere"),
    (T.DENTAL, "my face has blown up like a balloon since yesterday"),
    (T.DENTAL, "my son knocked his adult tooth clean out at hockey"),
    (T.DENTAL, "I had an extraction today and it's still gushing blood"),
    (T.DENTAL, "the infection is spreading, my eye is swelling shut"),
    (T.DENTAL, "the toothache is so bad I'm throwing up"),
    (T.DENTAL, "I can't swallow and my jaw is really swollen"),
    (T.ROOFING, "part of the roof blew off in the wind and we can see the sky"),
    (T.ROOFING, "water is pouring through the bedroom ceiling"),
    (T.ROOFING, "a big tree crashed on the house and the roof is caved in"),
    (T.ROOFING, "the ceiling is sagging with water and it's about to burst"),
    (T.ROOFING, "rain is coming in around the chimney and running down the wall"),
    (T.ROOFING, "lightning struck the roof and there's smoke in the attic"),
    (T.LOCKSMITH, "I locked my keys in the car with my dog inside and it's hot out"),
    (T.LOCKSMITH, "my little one is locked in the house alone and I'm outside"),
    (T.LOCKSMITH, "someone broke in while we were sleeping and the back door is wide open"),
    (T.LOCKSMITH, "I'm locked out and it's below zero"),
    (T.LOCKSMITH, "my key snapped in the ignition and I'm stuck on the side of the highway"),
    (T.LOCKSMITH, "my ex stole my keys and I think he's going to come back tonight"),
    (T.GENERAL, "my coworker just fell off the loading dock and he's not moving"),
    (T.GENERAL, "there's smoke coming from under the door of room 210"),
    (T.GENERAL, "a woman just fainted in the checkout line"),
    (T.GENERAL, "my father is choking on his food"),
    (T.GENERAL, "the baby swallowed a button battery"),
    (T.GENERAL, "there's a man in the parking lot threatening people"),
    (T.GENERAL, "my daughter's allergic to eggs and she just ate your muffin, she's wheezing"),
    (T.GENERAL, "a pipe burst in the ceiling above the dining room"),
    (T.GENERAL, "the bouncy castle blew over with kids inside"),
    (T.GENERAL, "my grandma fell in her apartment and she can't get up"),
    (T.HVAC, "the furnace is making a booming noise and the house smells like gas"),
    (T.ELECTRICAL, "the breaker box is on fire"),
    (T.VETERINARY, "my dog got hit by a truck and his leg is mangled"),
    (T.MEDICAL, "my husband is confused and slurring his words all of a sudden"),
    (T.PROPERTY, "the apartment above me is flooding into my kitchen"),
]

EVERYDAY: list[tuple[Trade, str]] = [
    (T.PLUMBING_HVAC, "do you install water softeners"),
    (T.PLUMBING_HVAC, "how much to replace a toilet"),
    (T.PLUMBING_HVAC, "my garbage disposal is jammed, can you come this week"),
    (T.PLUMBING_HVAC, "do you do annual furnace maintenance plans"),
    (T.PLUMBING_HVAC, "our hot water runs out fast, do we need a bigger tank"),
    (T.PLUMBING_HVAC, "do you repair frozen pipes"),
    (T.PLUMBING_HVAC, "can you move a gas line for a new range"),
    (T.PLUMBING_HVAC, "how much is it to fix a leak under the sink"),
    (T.DENTAL, "can I schedule my six month checkup"),
    (T.DENTAL, "do you do root canals in the office"),
    (T.DENTAL, "my daughter needs braces, do you do consultations"),
    (T.DENTAL, "is it normal for my gums to be sore after a cleaning"),
    (T.DENTAL, "what should I do if a tooth gets knocked out"),
    (T.DENTAL, "do you offer sedation for extractions"),
    (T.ROOFING, "do you install roofs in the winter"),
    (T.ROOFING, "how much for a skylight"),
    (T.ROOFING, "my neighbor's roof blew off years ago, should I check mine"),
    (T.ROOFING, "can you fix the water stain on my ceiling from the old leak"),
    (T.ROOFING, "do you offer a warranty on new shingles"),
    (T.LOCKSMITH, "can you change the locks on my new house next Tuesday"),
    (T.LOCKSMITH, "do you make keys for mailboxes"),
    (T.LOCKSMITH, "what's the price to install a smart lock"),
    (T.LOCKSMITH, "do you sell safes"),
    (T.LOCKSMITH, "my key is getting worn, can you copy it"),
    (T.GENERAL, "do you have a defibrillator on site"),
    (T.GENERAL, "is your building safe in an earthquake"),
    (T.GENERAL, "can I bring my baby to the appointment"),
    (T.GENERAL, "what's your cancellation policy"),
    (T.GENERAL, "do you have smoke free rooms"),
    (T.HVAC, "can you clean the ducts"),
    (T.ELECTRICAL, "do you fix outlets that spark"),
    (T.VETERINARY, "how much is a dog's dental cleaning"),
    (T.MEDICAL, "do you test for strep"),
    (T.PROPERTY, "how do I report a noisy neighbor"),
]

# Wrong on the rules as they are, and why. ADR 0045 heard its last six wrong answers with
# general rules (a water main "like a geyser", a gushing noise, a key failing on a roadside,
# something blown over with children in it, an "old leak", "next Tuesday").
WRONG: dict[str, str] = {}


def _cases(pairs: list[tuple[Trade, str]]) -> list[object]:
    return [
        pytest.param(t, s, marks=pytest.mark.xfail(strict=True, reason=WRONG[s]))
        if s in WRONG
        else (t, s)
        for t, s in pairs
    ]


@pytest.mark.parametrize(("trade", "sentence"), _cases(URGENT))
def test_a_third_set_of_emergencies_is_heard(trade: Trade, sentence: str) -> None:
    assert urgent_situation(sentence, trade) is not None


@pytest.mark.parametrize(("trade", "sentence"), _cases(EVERYDAY))
def test_a_third_set_of_everyday_questions_is_not_urgent(trade: Trade, sentence: str) -> None:
    assert urgent_situation(sentence, trade) is None
