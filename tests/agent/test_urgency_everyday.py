"""Urgent situations any business's caller can describe, the trades added for them, and the
everyday sentences that use the same risky words innocently.

Both lists were written before the rules they test (ADR 0035): the everyday sentences are what
callers of each trade ask, and none of them may reach a person as an emergency.
"""

from __future__ import annotations

import pytest

from aicaller.agent.urgency import urgent_situation
from aicaller.businesses.schemas import Trade

T = Trade

EVERYDAY: list[tuple[Trade, str]] = [
    # Any business.
    (T.GENERAL, "how much is an emergency visit"),
    (T.GENERAL, "do you offer first aid training for staff"),
    (T.GENERAL, "is your office accessible for someone in a wheelchair"),
    (T.GENERAL, "are your workers insured if someone gets hurt on the job"),
    (T.GENERAL, "are you insured in case something catches fire"),
    (T.GENERAL, "do you sell fire extinguishers"),
    (T.GENERAL, "my phone died, can you call me back on my wife's number"),
    (T.GENERAL, "I'm stuck in traffic, can I push my appointment back"),
    (T.GENERAL, "I'm dying to know your prices for next month"),
    (T.GENERAL, "our office had a break in last year, do you do security audits"),
    (T.GENERAL, "the last company left a mess and broke my fence"),
    (T.GENERAL, "my mother had a stroke years ago, is there a ramp at the entrance"),
    # Moving and storage.
    (T.MOVING_STORAGE, "my last mover broke a lamp"),
    (T.MOVING_STORAGE, "I'm moving because of a fire at my old place last year"),
    (T.MOVING_STORAGE, "do you move pianos and gun safes"),
    (T.MOVING_STORAGE, "can you pack my glassware so nothing breaks"),
    (T.MOVING_STORAGE, "how heavy can a box be before you charge extra"),
    (T.MOVING_STORAGE, "is storage climate controlled so my furniture doesn't get water damage"),
    (T.MOVING_STORAGE, "what happens if you damage something during the move"),
    (T.MOVING_STORAGE, "do you have insurance if an item gets broken"),
    (T.MOVING_STORAGE, "can your crew disconnect my gas dryer"),
    (T.MOVING_STORAGE, "will the truck fit under the low power lines on our street"),
    (T.MOVING_STORAGE, "can you move a fridge with the water line still attached"),
    (T.MOVING_STORAGE, "the elevator in my building is small, is that a problem"),
    (T.MOVING_STORAGE, "do you move propane tanks for the grill"),
    (T.MOVING_STORAGE, "will the move run over the estimate if it rains"),
    (T.MOVING_STORAGE, "my couch got stuck in the doorway last time, can you take doors off"),
    (T.MOVING_STORAGE, "do you help people who were flooded out of their homes move"),
    # Roofing.
    (T.ROOFING, "do you repair roofs damaged by last year's hail"),
    (T.ROOFING, "how much to fix a small leak around the chimney"),
    (T.ROOFING, "do you install skylights that won't leak"),
    (T.ROOFING, "can you inspect my roof for storm damage before I sell"),
    (T.ROOFING, "do you clean gutters so water doesn't pour over the edge"),
    (T.ROOFING, "is it safe to walk on a metal roof"),
    # Heating and cooling.
    (T.HVAC, "do you install carbon monoxide detectors"),
    (T.HVAC, "how often should I change the air filter"),
    (T.HVAC, "my AC is making a weird noise, can someone look at it this week"),
    (T.HVAC, "do you service heat pumps"),
    (T.HVAC, "is it normal for the furnace to smell a little dusty the first time"),
    (T.HVAC, "can you check my furnace before winter so it doesn't quit on us"),
    # Cleaning.
    (T.CLEANING, "do you clean up after a kitchen fire"),
    (T.CLEANING, "what products do you use, my kids have allergies"),
    (T.CLEANING, "do you use bleach or something safer for pets"),
    (T.CLEANING, "can you get blood stains out of a carpet"),
    (T.CLEANING, "do you do move out cleaning for apartments"),
    # Pest control.
    (T.PEST_CONTROL, "do you get rid of wasp nests"),
    (T.PEST_CONTROL, "do you sell bug bombs or foggers"),
    (T.PEST_CONTROL, "we have bees coming out of a hole in the siding, can you come this week"),
    (T.MOVING_STORAGE, "the chest of drawers was too tight to fit through the door"),
    (T.GENERAL, "is there a blood pressure cuff I can use in the waiting room"),
    (T.PEST_CONTROL, "are your sprays safe for pets and kids"),
    (T.PEST_CONTROL, "do you handle bed bugs in apartments"),
    (T.PEST_CONTROL, "what do you use for rats in the attic"),
    (T.PEST_CONTROL, "is the poison you use dangerous for my dog"),
    (T.PEST_CONTROL, "a bee stung my son last summer, can you remove the hive in our yard"),
    # IT services.
    (T.IT_SERVICES, "our server crashed last month, do you offer backups"),
    (T.IT_SERVICES, "do you remove viruses from laptops"),
    (T.IT_SERVICES, "how much for a new firewall"),
    (T.IT_SERVICES, "can you set up email for a new employee"),
    (T.IT_SERVICES, "our website goes down sometimes, can you look at it next week"),
    # The trades the product already had.
    (T.LEGAL, "do you handle child custody cases"),
    (T.LEGAL, "I was in a car accident last year, can I still sue"),
    (T.LEGAL, "what is your fee for a court appearance"),
    (T.AUTO_REPAIR, "do you do collision repair"),
    (T.AUTO_REPAIR, "my brakes squeak a little, can I book an inspection"),
    (T.AUTO_REPAIR, "do you fix cars after an accident"),
    (T.DENTAL, "do you treat bleeding gums"),
    (T.DENTAL, "my gums bleed a little when I floss"),
    (T.DENTAL, "can you fix a tooth that was knocked loose years ago"),
    (T.DENTAL, "my gums are a bit swollen, can I book a cleaning"),
    (T.DENTAL, "my kid's baby tooth fell out, is that normal"),
    (T.DENTAL, "I chipped a tooth on popcorn, do you have an opening next week"),
    (T.DENTAL, "do you treat gum infections"),
    (T.DENTAL, "my tooth is a little sensitive to cold"),
    (T.DENTAL, "how do I stop my gums bleeding when I brush"),
    (T.VETERINARY, "what should my dog eat after surgery"),
    (T.VETERINARY, "is chocolate really bad for dogs"),
    (T.VETERINARY, "my cat throws up hairballs sometimes, is that normal"),
    (T.MEDICAL, "do you do allergy testing"),
    (T.MEDICAL, "can I get a flu shot if I had a fever last week"),
    (T.ELECTRICAL, "do you install smoke alarms"),
    (T.ELECTRICAL, "can you add an outlet near the water heater"),
    (T.ELECTRICAL, "my lights flicker sometimes when the dryer runs, can you check next week"),
    (T.ELECTRICAL, "do you replace old breaker panels"),
    (T.ELECTRICAL, "can you put an outlet by the hot tub"),
    (T.ELECTRICAL, "how much to wire power out to our dock"),
    (T.LOCKSMITH, "can you rekey my locks after I moved in"),
    (T.LOCKSMITH, "I locked myself out last month and want a spare key made"),
    (T.PLUMBING_HVAC, "how do I keep my pipes from freezing"),
    (T.PLUMBING_HVAC, "the faucet is dripping and can you also move a light switch"),
    (T.PROPERTY, "is there parking for a moving truck"),
]

URGENT: list[tuple[Trade, str]] = [
    # Any business: someone hurt, fire, water, electricity, danger, trapped.
    (T.GENERAL, "there's smoke coming out of the wall"),
    (T.GENERAL, "there's a fire in the building"),
    (T.GENERAL, "someone fell off a ladder and hit their head"),
    (T.GENERAL, "a man is threatening my staff with a knife"),
    (T.GENERAL, "my child swallowed some pills"),
    (T.GENERAL, "I'm trapped in the elevator"),
    (T.GENERAL, "a car crashed into our storefront"),
    (T.GENERAL, "there's water pouring through the ceiling"),
    (T.GENERAL, "she's having an allergic reaction and her throat is closing"),
    (T.GENERAL, "he's not breathing"),
    (T.GENERAL, "my dog is locked in a hot car"),
    (T.GENERAL, "someone is following me and I'm scared"),
    (T.GENERAL, "a live wire is hanging over the sidewalk"),
    (T.GENERAL, "my friend got electrocuted"),
    (T.GENERAL, "my kid got into the cleaning chemicals and drank some"),
    (T.GENERAL, "I think my arm is broken"),
    (T.GENERAL, "there's been an accident and someone is hurt"),
    (T.GENERAL, "my neighbor's kid just got hit by a car outside your office"),
    # A question about the service, then the situation in a sentence of its own.
    (T.GENERAL, "Do you do emergencies? Water is pouring in everywhere"),
    (T.MOVING_STORAGE, "Do you move pianos? One just crushed my foot"),
    # Moving and storage.
    (T.MOVING_STORAGE, "one of your movers dropped a dresser on his foot and he's bleeding badly"),
    (T.MOVING_STORAGE, "your guy fell off the ramp and he can't get up"),
    (T.MOVING_STORAGE, "someone got hurt on the truck, he's not moving"),
    (T.MOVING_STORAGE, "the truck hit a power line and it's lying on the truck"),
    (T.MOVING_STORAGE, "your movers pulled out the dryer and now I smell gas"),
    (T.MOVING_STORAGE, "they disconnected the washer and water is pouring all over the floor"),
    (T.MOVING_STORAGE, "your truck backed into my car and my neighbor is hurt"),
    (T.MOVING_STORAGE, "my kid is trapped under a bookcase that fell"),
    (T.MOVING_STORAGE, "one of the movers collapsed in the heat"),
    (T.MOVING_STORAGE, "the crew never showed up and we have to be out of the apartment today"),
    (T.MOVING_STORAGE, "my storage unit was broken into"),
    (T.MOVING_STORAGE, "the truck with all my furniture was in an accident on the interstate"),
    (T.MOVING_STORAGE, "a stack of boxes fell on my husband"),
    # Roofing.
    (T.ROOFING, "a tree fell through our roof in the storm"),
    (T.ROOFING, "part of the roof caved in"),
    (T.ROOFING, "rain is pouring in through the roof"),
    (T.ROOFING, "shingles blew off and water is coming in"),
    (T.ROOFING, "one of your roofers fell off the roof"),
    # Heating and cooling.
    (T.HVAC, "our furnace went out and it's below zero"),
    (T.HVAC, "the carbon monoxide alarm is going off"),
    (T.HVAC, "the AC quit and my elderly mother is overheating"),
    # Cleaning.
    (T.CLEANING, "I mixed bleach and ammonia and now I can't breathe"),
    (T.CLEANING, "your cleaner mixed chemicals and there are fumes everywhere"),
    (T.CLEANING, "sewage is backing up into the basement"),
    # Pest control.
    (T.PEST_CONTROL, "my son is allergic and got stung by a wasp, his face is swelling"),
    # Added with their rules after reading sunnyside_pest_control's questions (ADR 0035).
    (T.PEST_CONTROL, "I set off bug bombs and now I'm dizzy and throwing up"),
    (T.PEST_CONTROL, "bees are pouring out of the wall in the bedroom"),
    (T.GENERAL, "my chest feels tight and I can barely think"),
    (T.PEST_CONTROL, "there's a swarm of bees in the kids' room"),
    (T.PEST_CONTROL, "we found a rattlesnake in the garage"),
    (T.PEST_CONTROL, "my dog licked up the rat poison you put down"),
    (T.PEST_CONTROL, "a bat bit my daughter"),
    # Dental: the trade's own emergencies said in plain words.
    # Electrical: an overheating panel, and a tingle in the water (electric shock drowning);
    # added with their rules after reading lakeside_electric's questions (ADR 0035).
    (T.ELECTRICAL, "the breaker panel is buzzing and it's hot to the touch"),
    (T.ELECTRICAL, "the outlet by the bed is melting"),
    (T.ELECTRICAL, "my son felt a tingle swimming by our dock"),
    (T.ELECTRICAL, "I got shocked in the shower just now"),
    (T.DENTAL, "my son's front tooth got knocked out at soccer"),
    (T.DENTAL, "I had a tooth pulled yesterday and the bleeding hasn't stopped"),
    (T.DENTAL, "my jaw is so swollen I can't open my mouth"),
    (T.DENTAL, "this toothache is unbearable, I haven't slept"),
    (T.DENTAL, "I have a fever and my gum is full of pus"),
    (T.DENTAL, "my daughter fell off her bike and her tooth is pushed back"),
    (T.PLUMBING_HVAC, "water is dripping out of the light fixture in the bathroom"),
    # IT services.
    (T.IT_SERVICES, "our whole network is down and we can't take orders"),
    (T.IT_SERVICES, "we've been hacked and there's a ransom note on every screen"),
    (T.IT_SERVICES, "ransomware encrypted all our files"),
    (T.IT_SERVICES, "someone got into our email and is sending wire instructions"),
    (T.IT_SERVICES, "the server room is flooding"),
]


@pytest.mark.parametrize(("trade", "sentence"), EVERYDAY)
def test_everyday_sentences_with_risky_words_are_not_urgent(trade: Trade, sentence: str) -> None:
    assert urgent_situation(sentence, trade) is None


@pytest.mark.parametrize(("trade", "sentence"), URGENT)
def test_urgent_situations_of_any_business_and_the_new_trades_are_heard(
    trade: Trade, sentence: str
) -> None:
    assert urgent_situation(sentence, trade) is not None


def test_the_general_situations_hold_for_every_trade() -> None:
    general = [sentence for trade, sentence in URGENT if trade is Trade.GENERAL]
    missed = [(t, s) for t in Trade for s in general if urgent_situation(s, t) is None]
    assert missed == []


def test_the_lists_are_long_enough_to_mean_something() -> None:
    assert len(EVERYDAY) >= 60
    assert {trade for trade, _ in EVERYDAY} == set(Trade)
