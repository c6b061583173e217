"""Everyday questions of the same small businesses, sharing the nouns of their emergencies
(burst pipes, lockouts, fires, stings, a car broken into) but asking about prices, bookings,
the past, a hypothetical or whether the business does something: none is an emergency.

Written with ``test_urgency_callers_urgent``'s sentences, before the rules were changed and
without reading any evaluation question (ADR 0040).
"""

from __future__ import annotations

import pytest

from aicaller.agent.urgency import urgent_situation
from aicaller.businesses.schemas import Trade

T = Trade

EVERYDAY: list[tuple[Trade, str]] = [
    # Locksmith.
    (T.LOCKSMITH, "how much is a lockout call"),
    (T.LOCKSMITH, "can you cut a spare key for a 2015 Honda"),
    (T.LOCKSMITH, "do you rekey the locks when a tenant moves out"),
    (T.LOCKSMITH, "I locked my keys in the car last week, do you have some kind of plan for that"),
    (T.LOCKSMITH, "do you put in keypad locks my kids can open with a code"),
    (T.LOCKSMITH, "what do you charge to open a safe if we lost the combination"),
    (T.LOCKSMITH, "my neighbor's house got broken into, do you do security checks"),
    (T.LOCKSMITH, "do you do car lockouts or just houses"),
    # A garage-door company.
    (T.GENERAL, "how much to replace a broken spring"),
    (T.GENERAL, "do you fix doors that came off the track"),
    (T.GENERAL, "the door is loud when it opens, can somebody look at it next week"),
    (T.GENERAL, "do you sell openers with a battery backup for when the power goes out"),
    (T.GENERAL, "my garage door got backed into last winter and it still sticks a little"),
    (T.GENERAL, "do the safety sensors stop the door if a kid runs under it"),
    # Towing and roadside help.
    (T.AUTO_REPAIR, "how much do you charge to tow a car twenty miles"),
    (T.AUTO_REPAIR, "do you do jump starts"),
    (T.AUTO_REPAIR, "can you tow my car to the shop on Friday, it's been sitting in the driveway"),
    (T.AUTO_REPAIR, "my car broke down last month and another company towed it to their lot"),
    (T.AUTO_REPAIR, "do you tow motorcycles"),
    (T.AUTO_REPAIR, "is roadside help included if I'm a member"),
    (T.AUTO_REPAIR, "my car was broken into last year, can you fix the window track"),
    # Plumbing.
    (T.PLUMBING_HVAC, "do you fix burst pipes"),
    (T.PLUMBING_HVAC, "how much to replace a forty gallon water heater"),
    (T.PLUMBING_HVAC, "we had a pipe burst last winter, can you check it won't happen again"),
    (T.PLUMBING_HVAC, "my kitchen sink drains slow"),
    (T.PLUMBING_HVAC, "can you put in a shutoff valve for the whole house"),
    (T.PLUMBING_HVAC, "the toilet runs sometimes at night, can you come look next week"),
    (T.PLUMBING_HVAC, "do you do sewer camera inspections"),
    (T.PLUMBING_HVAC, "what do I do if my basement ever floods"),
    # Electrical.
    (T.ELECTRICAL, "how much to add an outlet in the garage"),
    (T.ELECTRICAL, "do you install chargers for electric cars"),
    (T.ELECTRICAL, "do you replace the old fuse boxes"),
    (T.ELECTRICAL, "my lights dim when the microwave is on, is that something you look at"),
    (T.ELECTRICAL, "a storm knocked our power out for two days last year, do you do generators"),
    (T.ELECTRICAL, "can you run a dedicated circuit for a hot tub"),
    # Heating and cooling.
    (T.HVAC, "how much is a furnace tune up"),
    (T.HVAC, "do you install heat pumps"),
    (T.HVAC, "should the carbon monoxide detector go near the furnace"),
    (T.HVAC, "my AC isn't keeping up like it did, can I book a check"),
    (T.HVAC, "do you have financing for a new system"),
    (T.HVAC, "is it normal for the heat to smell dusty the first day you turn it on"),
    # Roofing.
    (T.ROOFING, "how much for a roof inspection"),
    (T.ROOFING, "do you do free estimates for storm damage"),
    (T.ROOFING, "we had a leak last spring, can you look at the flashing"),
    (T.ROOFING, "do you install metal roofs"),
    (T.ROOFING, "how long does a full roof replacement take"),
    (T.ROOFING, "do you work with the insurance company after hail"),
    (T.ROOFING, "a branch fell on the roof in the storm years ago, can you check it"),
    # Pest control.
    (T.PEST_CONTROL, "will the spray make my cat sick"),
    (T.PEST_CONTROL, "how much to take down a wasp nest"),
    (T.PEST_CONTROL, "do you do termite inspections for a home sale"),
    (T.PEST_CONTROL, "are the bait stations safe around dogs"),
    (T.PEST_CONTROL, "how long do we stay out of the house after you spray"),
    (T.PEST_CONTROL, "we had a snake in the garage last summer, do you snake proof"),
    (T.PEST_CONTROL, "do you get bats out of attics"),
    (T.PEST_CONTROL, "my son is allergic to bees, is there anything safer you can use"),
    # Veterinary.
    (T.VETERINARY, "how much are puppy shots"),
    (T.VETERINARY, "can I book a dental cleaning for my cat"),
    (T.VETERINARY, "which human foods are toxic for dogs"),
    (T.VETERINARY, "my dog ate grass and threw up once last week, is that normal"),
    (T.VETERINARY, "do you board cats over the holidays"),
    (T.VETERINARY, "do you see rabbits and guinea pigs"),
    (T.VETERINARY, "my cat has been scratching a lot, can I bring her in this week"),
    # Dental.
    (T.DENTAL, "do you do emergency appointments"),
    (T.DENTAL, "how much is a crown"),
    (T.DENTAL, "I knocked out a tooth as a kid, can you do an implant"),
    (T.DENTAL, "do you take Delta Dental"),
    (T.DENTAL, "my gums bleed a little when I brush, is that bad"),
    (T.DENTAL, "can I book cleanings for my kids in the summer"),
    (T.DENTAL, "my tooth has been a little sore for a week, can I come in Thursday"),
    # A medical clinic.
    (T.MEDICAL, "do you take walk ins for flu shots"),
    (T.MEDICAL, "how much is a physical without insurance"),
    (T.MEDICAL, "can I get a refill of my blood pressure pills"),
    (T.MEDICAL, "do you do allergy shots"),
    (T.MEDICAL, "I had chest pains a few years ago, should I get a stress test"),
    (T.MEDICAL, "do you see kids or just adults"),
    (T.MEDICAL, "my son has a bit of a cough, can he be seen tomorrow"),
    # A pharmacy.
    (T.GENERAL, "is my prescription ready"),
    (T.GENERAL, "can I pick up my mom's prescription for her"),
    (T.GENERAL, "do you do flu shots on weekends"),
    (T.GENERAL, "is it okay to take ibuprofen with my blood pressure medicine"),
    (T.GENERAL, "what happens if I miss a dose of my antibiotic"),
    (T.GENERAL, "do you deliver"),
    (T.GENERAL, "do you carry the epipen two pack"),
    # A landlord or property manager.
    (T.PROPERTY, "how do I put in a maintenance request"),
    (T.PROPERTY, "when is rent due"),
    (T.PROPERTY, "can I get a second parking spot"),
    (T.PROPERTY, "the dishwasher is making a noise, can someone look this week"),
    (T.PROPERTY, "we had a leak last year, was it ever fixed properly"),
    (T.PROPERTY, "do you allow pets"),
    (T.PROPERTY, "when are they testing the fire alarms in the building"),
    # A hotel.
    (T.GENERAL, "do you have rooms for Friday night"),
    (T.GENERAL, "is breakfast included"),
    (T.GENERAL, "is the pool heated"),
    (T.GENERAL, "can I get a late checkout"),
    (T.GENERAL, "do you have a shuttle to the airport"),
    (T.GENERAL, "are any of the rooms accessible for a wheelchair"),
    # A restaurant.
    (T.GENERAL, "do you have gluten free options"),
    (T.GENERAL, "can I book a table for six on Saturday"),
    (T.GENERAL, "are your fries cooked in peanut oil"),
    (T.GENERAL, "do you cater birthday parties"),
    (T.GENERAL, "what time does the kitchen close"),
    (T.GENERAL, "can you make my burger without cheese, I'm allergic"),
    (T.GENERAL, "my son has a nut allergy, is the dessert safe for him"),
    # Childcare or a school.
    (T.GENERAL, "do you have openings for a two year old"),
    (T.GENERAL, "what's the tuition for half days"),
    (T.GENERAL, "what's your policy when a kid gets sick during the day"),
    (T.GENERAL, "who's allowed to pick up my child"),
    (T.GENERAL, "how often do you do fire drills"),
    (T.GENERAL, "is lunch provided or do we pack it"),
    # IT and managed services.
    (T.IT_SERVICES, "how much do you charge per computer per month"),
    (T.IT_SERVICES, "do you set up backups"),
    (T.IT_SERVICES, "can you help us move to Microsoft 365"),
    (T.IT_SERVICES, "our printer keeps jamming"),
    (T.IT_SERVICES, "we got a phishing email last month, do you do staff training"),
    (T.IT_SERVICES, "do you do monitoring around the clock"),
    # Moving and storage.
    (T.MOVING_STORAGE, "how much for a two bedroom move across town"),
    (T.MOVING_STORAGE, "do you sell boxes"),
    (T.MOVING_STORAGE, "can you move a piano up three flights"),
    (T.MOVING_STORAGE, "is my stuff insured while it's on the truck"),
    (T.MOVING_STORAGE, "my last movers broke a mirror, what's your damage policy"),
    (T.MOVING_STORAGE, "do you have climate controlled storage units"),
    # Water damage restoration.
    (T.GENERAL, "do you do mold testing"),
    (T.GENERAL, "how long does it take to dry out a basement after a flood"),
    (T.GENERAL, "do you work with my insurance on water damage"),
    (T.GENERAL, "we had a flood last spring, can you check for mold"),
    (T.GENERAL, "do you rent out dehumidifiers"),
    (T.GENERAL, "how much does water damage cleanup usually cost"),
    # A tree service.
    (T.GENERAL, "how much to take down a dead pine"),
    (T.GENERAL, "do you grind stumps"),
    (T.GENERAL, "can you trim the branches over my roof before winter"),
    (T.GENERAL, "a tree fell on our fence last year, do you haul the wood away"),
    (T.GENERAL, "do I need a permit to cut a tree down"),
    (T.GENERAL, "do you do emergency storm cleanup"),
    # A pool and spa company.
    (T.GENERAL, "how much to open the pool for the season"),
    (T.GENERAL, "do you sell pool alarms"),
    (T.GENERAL, "how often should I shock the pool"),
    (T.GENERAL, "the water is a little cloudy, can you come test it"),
    (T.GENERAL, "do you fix hot tub heaters"),
    (T.GENERAL, "do you put in those safer drain covers"),
    # Security and alarms.
    (T.GENERAL, "how much is monitoring a month"),
    (T.GENERAL, "do you install cameras"),
    (T.GENERAL, "my alarm keeps going off when the cat walks by, can you adjust it"),
    (T.GENERAL, "we had a break in last year, what system would you suggest"),
    (T.GENERAL, "how do I change my alarm code"),
    (T.GENERAL, "does the panic button call the police or you"),
    # An elevator or stair-lift company.
    (T.GENERAL, "how often do elevators need an inspection"),
    (T.GENERAL, "do you install stair lifts"),
    (T.GENERAL, "how much is a service contract"),
    (T.GENERAL, "the elevator has been a bit slow lately, can someone check it next week"),
    (T.GENERAL, "do you modernize old hydraulic elevators"),
    # Septic.
    (T.GENERAL, "how often should I get the septic pumped"),
    (T.GENERAL, "how much to pump a thousand gallon tank"),
    (T.GENERAL, "do you do septic inspections for a home sale"),
    (T.GENERAL, "the grass over the drain field is really green, is that bad"),
    (T.GENERAL, "can I use bleach with a septic system"),
    # Appliance repair.
    (T.GENERAL, "do you fix Samsung fridges"),
    (T.GENERAL, "how much is a service call for a washer"),
    (T.GENERAL, "my dryer takes two cycles to dry, can you come this week"),
    (T.GENERAL, "do you hook up gas stoves"),
    (T.GENERAL, "the dishwasher leaked a little last month, can you check the seal"),
    (T.GENERAL, "do you sell parts"),
    # Anyone: the risky words, innocently.
    (T.GENERAL, "the smoke detector keeps chirping, how do I change the battery"),
    (T.GENERAL, "I'm stuck at work, can I come by tomorrow instead"),
    (T.GENERAL, "my phone is dying so call me back on this number"),
    (T.GENERAL, "I'm calling about the claim from the fire at our old place"),
    (T.GENERAL, "is the office closed on the holiday, I don't want to get stuck outside"),
    (T.GENERAL, "do you have a first aid kit on site for the kids' party"),
    (T.GENERAL, "I hurt my back last year so I can't carry much, do you have carts"),
    (T.GENERAL, "my husband's the one who fell for the fake invoice scam, not me"),
]


def test_the_everyday_sentences_cover_many_trades() -> None:
    assert len(EVERYDAY) >= 150
    assert len({trade for trade, _ in EVERYDAY}) >= 12


@pytest.mark.parametrize(("trade", "sentence"), EVERYDAY)
def test_an_everyday_question_with_an_emergencys_nouns_is_not_urgent(
    trade: Trade, sentence: str
) -> None:
    assert urgent_situation(sentence, trade) is None
