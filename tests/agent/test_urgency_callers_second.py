"""A second set of callers' sentences, written after the first rules of ADR 0040 and scored
on them before any rule was changed for it: how well the rules carry over to words their
author did not have in front of him (the count is in ADR 0040 and docs/benchmarks.md).
"""

from __future__ import annotations

import pytest

from aicaller.agent.urgency import urgent_situation
from aicaller.businesses.schemas import Trade

T = Trade

URGENT: list[tuple[Trade, str]] = [
    # Plumbing and heating.
    (T.PLUMBING_HVAC, "um so the pipe under the kitchen sink just exploded, it's everywhere"),
    (T.PLUMBING_HVAC, "water's shooting out of the wall where the washer hooks up"),
    (T.PLUMBING_HVAC, "I went downstairs and the whole basement is a swimming pool"),
    (T.PLUMBING_HVAC, "the toilet's overflowing with sewage and it's going into the hallway"),
    (T.PLUMBING_HVAC, "there's a hissing by the water heater and it smells like gas in here"),
    (T.PLUMBING_HVAC, "our heat quit, it's eight degrees outside and I've got a newborn"),
    (T.PLUMBING_HVAC, "the ceiling in the bathroom below is dripping and now it's bulging"),
    (T.PLUMBING_HVAC, "I can't find the main shutoff and the water won't stop"),
    (T.PLUMBING_HVAC, "the boiler is making a screaming noise and the gauge is in the red"),
    (T.PLUMBING_HVAC, "the CO detector is going off and my kids are complaining of headaches"),
    (T.PLUMBING_HVAC, "our water heater burst and it's all over the laundry room"),
    (T.PLUMBING_HVAC, "water keeps bubbling up out of the shower drain and it stinks"),
    (T.HVAC, "the furnace is throwing out black smoke"),
    (T.HVAC, "my grandmother's AC went out and it's like a hundred in her apartment"),
    # Dental.
    (T.DENTAL, "my daughter smashed her face on the pool edge and her tooth is halfway up"),
    (T.DENTAL, "I can't stop the bleeding from where they pulled my tooth"),
    (T.DENTAL, "the side of my face is huge and hot and I've got a fever"),
    (T.DENTAL, "my son took an elbow at basketball and his tooth is just gone"),
    (T.DENTAL, "my jaw popped and now I can't close my mouth"),
    (T.DENTAL, "the swelling is going down my neck and it hurts to breathe"),
    (T.DENTAL, "I've been up all night with this tooth, I'm in agony"),
    (T.DENTAL, "I got hit in the mouth and my front teeth are pushed in"),
    # Roofing.
    (T.ROOFING, "the wind took off half the shingles and rain is coming into the attic"),
    (T.ROOFING, "a tree limb punched a hole right through the roof"),
    (T.ROOFING, "water is pouring through the light in the ceiling"),
    (T.ROOFING, "the ceiling just came down in the kitchen, there's water everywhere"),
    (T.ROOFING, "the tarp you guys put on blew away and it's raining into the bedroom"),
    (T.ROOFING, "one of your workers fell through the roof into the garage"),
    (T.ROOFING, "the ceiling is leaking onto the electrical panel"),
    # Locksmith.
    (T.LOCKSMITH, "my baby's locked in the car and it's getting hot"),
    (T.LOCKSMITH, "I can't get into my house and my mom's inside and she's not answering"),
    (T.LOCKSMITH, "they broke in last night and took my keys, the door won't even close"),
    (T.LOCKSMITH, "my toddler locked himself in the bathroom and the tub's running"),
    (T.LOCKSMITH, "I'm stuck outside, it's freezing and I left my keys inside"),
    (T.LOCKSMITH, "someone's been trying my door handle all night"),
    # Electrical.
    (T.ELECTRICAL, "an outlet just caught fire and I put it out but it's still smoking"),
    (T.ELECTRICAL, "the wires on the pole out front are on fire"),
    (T.ELECTRICAL, "my husband got a shock off the panel and his arm is numb"),
    (T.ELECTRICAL, "the lights are flickering and there's a crackling noise in the wall"),
    # Pest control and veterinary.
    (T.PEST_CONTROL, "my son stepped on a nest and he's covered in stings"),
    (T.PEST_CONTROL, "there's a raccoon in the kitchen and it's acting really weird"),
    (T.VETERINARY, "my dog won't stop shaking and he's foaming at the mouth"),
    (T.VETERINARY, "the cat fell off the balcony and she's not getting up"),
    (T.VETERINARY, "our dog drank some antifreeze from the garage"),
    (T.VETERINARY, "my dog is struggling to breathe and his gums are white"),
    # A medical clinic, a pharmacy.
    (T.MEDICAL, "I feel like an elephant is sitting on my chest"),
    (T.MEDICAL, "my dad's face went all droopy and he can't lift his arm"),
    (T.MEDICAL, "my little girl is burning up and she had a seizure"),
    (T.GENERAL, "my son drank a whole bottle of cough syrup"),
    # Anyone else.
    (T.GENERAL, "a customer just passed out in the fitting room"),
    (T.GENERAL, "my kid's not breathing, he was in the pool"),
    (T.GENERAL, "the car rolled down the driveway and hit my son"),
    (T.GENERAL, "the kitchen is on fire"),
    (T.GENERAL, "there's a strong smell of gas in the lobby"),
    (T.GENERAL, "the guy in room 12 is screaming and I heard glass breaking"),
    (T.GENERAL, "my daughter got her hand caught in the machine"),
    (T.GENERAL, "the ceiling collapsed in the dining room and people are under it"),
    (T.GENERAL, "the deck gave out and people fell"),
    (T.GENERAL, "my husband cut his hand really bad on the saw and it won't stop bleeding"),
    (T.GENERAL, "my wife is having the baby right now in the car"),
    (T.GENERAL, "there's a guy with a gun in the parking lot"),
    (T.GENERAL, "my son's been missing since this morning"),
    (T.GENERAL, "the water in the walk in is up to my ankles"),
    (T.AUTO_REPAIR, "the brakes just went out on the hill"),
    (T.AUTO_REPAIR, "I'm broken down on the interstate with my grandkids"),
    (T.MOVING_STORAGE, "the truck with all our stuff got stolen overnight"),
    (T.IT_SERVICES, "everything's encrypted and there's a ransom note"),
    (T.PROPERTY, "there's a smell of gas in the hallway on the third floor"),
    (T.PROPERTY, "the ceiling in my unit fell in"),
]

EVERYDAY: list[tuple[Trade, str]] = [
    (T.PLUMBING_HVAC, "how much to fix a leaky faucet"),
    (T.PLUMBING_HVAC, "do you guys do water heater flushes"),
    (T.PLUMBING_HVAC, "my water pressure is low in the shower, can you check"),
    (T.PLUMBING_HVAC, "can you install a gas line for a new dryer"),
    (T.PLUMBING_HVAC, "we want to move the kitchen sink, do you do remodels"),
    (T.PLUMBING_HVAC, "how much for a furnace inspection before winter"),
    (T.PLUMBING_HVAC, "the basement flooded years ago, do you put in sump pumps"),
    (T.PLUMBING_HVAC, "is a tankless water heater worth it"),
    (T.PLUMBING_HVAC, "can you snake the main line, it's slow but working"),
    (T.PLUMBING_HVAC, "do you replace carbon monoxide detectors"),
    (T.PLUMBING_HVAC, "what's your emergency rate at night"),
    (T.PLUMBING_HVAC, "my toilet rocks a little, can you fix the seal"),
    (T.DENTAL, "how much is teeth whitening"),
    (T.DENTAL, "do you do Invisalign"),
    (T.DENTAL, "my kid needs a cleaning before school starts"),
    (T.DENTAL, "I have a small chip on my front tooth, can you fix it"),
    (T.DENTAL, "do you see patients with dental anxiety"),
    (T.DENTAL, "can I bring my own x rays from my old dentist"),
    (T.DENTAL, "my crown feels a little loose, can I come in this week"),
    (T.DENTAL, "what do you do for a knocked out tooth"),
    (T.ROOFING, "how much does a new roof cost"),
    (T.ROOFING, "do you fix roof leaks"),
    (T.ROOFING, "a few shingles blew off in the last storm, can you replace them"),
    (T.ROOFING, "do you clean moss off roofs"),
    (T.ROOFING, "can you put a tarp on before the rain next week"),
    (T.ROOFING, "is it okay to put solar panels on an old roof"),
    (T.ROOFING, "do you do gutters too"),
    (T.LOCKSMITH, "how much to rekey a house"),
    (T.LOCKSMITH, "can you make a copy of a high security key"),
    (T.LOCKSMITH, "do you open cars for people who lock their keys in"),
    (T.LOCKSMITH, "my lock is sticking, can you come Friday"),
    (T.LOCKSMITH, "do you install deadbolts"),
    (T.LOCKSMITH, "how fast can you get here if I'm locked out"),
    (T.ELECTRICAL, "how much to install a ceiling fan"),
    (T.ELECTRICAL, "do you do panel upgrades"),
    (T.ELECTRICAL, "can you add outdoor lights"),
    (T.ELECTRICAL, "one outlet in the bedroom doesn't work, can you look this week"),
    (T.PEST_CONTROL, "do you treat for mosquitoes"),
    (T.PEST_CONTROL, "how much for a raccoon removal from the attic"),
    (T.VETERINARY, "when should my puppy get spayed"),
    (T.VETERINARY, "my dog has a little limp, can I book tomorrow"),
    (T.VETERINARY, "what do I do if my dog eats chocolate"),
    (T.MEDICAL, "can I get a sick note for work"),
    (T.MEDICAL, "do you do physicals for sports"),
    (T.GENERAL, "what are your hours on Sunday"),
    (T.GENERAL, "do you have a fire exit plan for events"),
    (T.GENERAL, "can I bring my dog inside the store"),
    (T.GENERAL, "is the parking lot gated at night"),
    (T.GENERAL, "we had a small kitchen fire last year and want to redo the cabinets"),
    (T.GENERAL, "my son cut his hand last week, can he still come to swim lessons"),
    (T.GENERAL, "the gas station next door, is that where I park"),
    (T.GENERAL, "is there someone who can help me carry boxes to my car"),
    (T.GENERAL, "can I pay with a card over the phone"),
    (T.AUTO_REPAIR, "my brakes feel soft, can I bring it in Monday"),
    (T.AUTO_REPAIR, "how much is a tow from the highway to your shop"),
    (T.MOVING_STORAGE, "can you store a car for the winter"),
    (T.IT_SERVICES, "how do I reset my email password"),
    (T.PROPERTY, "can I paint my bedroom"),
    (T.PROPERTY, "who do I call if the heat goes out"),
    (T.PROPERTY, "the smoke detector in my unit needs a new battery"),
]


@pytest.mark.parametrize(("trade", "sentence"), URGENT)
def test_a_second_set_of_emergencies_is_heard(trade: Trade, sentence: str) -> None:
    assert urgent_situation(sentence, trade) is not None


@pytest.mark.parametrize(("trade", "sentence"), EVERYDAY)
def test_a_second_set_of_everyday_questions_is_not_urgent(trade: Trade, sentence: str) -> None:
    assert urgent_situation(sentence, trade) is None
