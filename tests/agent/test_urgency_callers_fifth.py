"""A fifth set of callers' sentences (``urgency_sets/fifth.json``, 16 trades, 80 urgent and 80
everyday), written by the fourth set's writer, who never saw the rules. It was held out: no
sentence was read before its one score, main's rules against ADR 0045's (docs/benchmarks.md),
and no rule was changed after it. What it scores is the estimate of how the rules do on words
nobody tuned for. The reasons in ``WRONG`` were written only after that score, by looking at
the sentences the rules got wrong then; each test expects the wrong answer (strict xfail), so
that a later rule that fixes it says so.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aicaller.agent.urgency import urgent_situation
from aicaller.businesses.schemas import Trade

SENTENCES = json.loads((Path(__file__).parent / "urgency_sets" / "fifth.json").read_text())

# Wrong on ADR 0045's rules, and why (read after the final score).
WRONG = {
    "er hello, a car's just gone into the front of your building and there's a funny smell, "
    "petrol i think, and people are standing around": (
        "'gone into' a building is no crash phrase; petrol is heard only by the auto trade"
    ),
    "hiya, sorry, i'm upstairs in your place and a kid's managed to climb out onto the window "
    "ledge on the first floor": "a ledge needs 'stuck', 'trapped' or 'stranded' beside it",
    "hello, yeah, i'm parked outside and there's grey smoke drifting out of your extractor vent "
    "and the smoke alarms are going inside": (
        "'drifting' is no smoke verb, and 'alarms are going' lacks 'off'"
    ),
    "i nearly had a heart attack when i saw the bill, ha, could you talk me through what the "
    "extra line is?": "'heart attack' is heard alone; 'nearly had' is no 'not now' phrase",
    "yeah um i'm in the multi-storey and my husband was under the car with a jack and it's "
    "slipped, it's on his leg": "a jack that slipped, 'on his leg': no weight-on-someone phrase",
    "the battery you fitted this morning is hissing and bubbling under the bonnet and there's a "
    "sort of eggy smell": "auto repair hears no battery venting; 'eggy' is not 'rotten eggs'",
    "hi, your window cleaner's harness has snapped or something, he's dangling off the side of "
    "the building on the fourth floor": "'dangling' is heard over people below, not of a person",
    "yeah it's the school kitchen, your contractor's put something down the drain and there's "
    "greenish fumes coming up, two of the dinner ladies feel sick": (
        "fumes are heard beside 'dizzy', 'headache' or 'coughing', not 'feel sick'"
    ),
    "hi, my cat walked through the stuff you put on the kitchen floor and she's drooling and "
    "pawing at her mouth": "cleaning hears a chemical on a pet only as splashed or burned",
    "hello, my husband came round from the sedation at yours earlier and now he's really "
    "confused and can't stand up properly": (
        "'confused' and 'can't stand' are heard only after a fall or in heat"
    ),
    "hi, i'm a plasterer on a site in bramley and one of the lads drilled into a cable, he's "
    "conscious but his hand's burnt and he's shaking": (
        "drilling into a cable and a burnt hand are no shock phrase"
    ),
    "hi, it's the fish and chip shop, the fryer's lost power, the board's hot and there's a hum "
    "coming from it and we've got a queue": (
        "'the board' is not a panel or breaker, and 'hot' alone is no overheating phrase"
    ),
    "hi, it's the pharmacy on the high street, the cooling in the vaccine room's failed and the "
    "fridges are warming up fast": "no situation for a failing cold chain (vaccines, fridges)",
    "the flue pipe has come apart in the loft and there's fumes coming down through the hatch, "
    "the alarm's beeping": (
        "a flue is heard 'come off' or 'detached', not 'come apart'; the alarm is unnamed"
    ),
    "hi, we're a recruitment firm and we just realised a staff member's laptop with all the "
    "client data was stolen from her car, and it's not encrypted": (
        "a stolen laptop is no breach phrase"
    ),
    "the social workers have just turned up with police and they're saying they're taking the "
    "kids today": "'taking' is not 'taken' or 'took'; police are heard at the door or asking",
    "hi, the judge has adjourned till two and said i need representation or it goes ahead "
    "without me, it's my custody hearing": "'till two' is no time the hearing phrase knows",
    "hi, the lock on the disabled loo in our café's jammed and there's a customer stuck in "
    "there, she says she's feeling unwell": (
        "'a customer stuck in there' is not 'I'm stuck' or 'trapped in' a room"
    ),
    "the key's broken off in the ignition and the car's stopped at the traffic lights on the "
    "junction, cars are beeping": "the locksmith's roadside places have no junction or lights",
    "i had to get my door opened in august when i got locked out, your bloke left his drill "
    "bit behind, do you want it back?": "'in August' is no past phrase",
    "hi, sorry, my son's eight and he's had tummy ache since this morning, now it's low down on "
    "the right, he's being sick and he can't stand up straight": (
        "no situation for pain in the belly"
    ),
    "hello, i'm thirty weeks pregnant, i've had a thumping headache all afternoon and now i'm "
    "seeing zigzag lights and my ankles have blown right up": (
        "'pregnant' is heard with bleeding or cramping, not a headache and swelling"
    ),
    "it's sandra at number four, my husband just went blank and dropped to the floor, he's "
    "jerking and his eyes are rolled back, he's never done this before": (
        "'jerking' is heard only after 'a fit'; 'dropped to the floor' is no collapse phrase"
    ),
    "hiya, i'm with my grandad, he says it's only indigestion but he's been sat on the stairs "
    "for twenty minutes, clammy, and he can't get his words out properly": (
        "'clammy' and 'can't get his words out' are not the heart or stroke phrases"
    ),
    "hi, your lorry's shed its load on the roundabout by tesco, there's boxes and a sofa across "
    "two lanes and cars are swerving round it": "no situation for a load spilled on a road",
    "hi it's completion day, the keys have been handed back, your crew's not turned up and it's "
    "snowing, we've got a newborn and nowhere to go with everything on the drive": (
        "'not turned up' is not 'never showed' or 'didn't show'"
    ),
    "hello, it's the bakery, we've just opened and there's mice droppings and a dead mouse on "
    "the bread line, customers are waiting": (
        "vermin are heard running in front of customers, not as droppings"
    ),
    "you sorted the burst pipe in january and i realise i never paid, sorry, can i pay now?": (
        "'in January' is no past phrase, and 'you sorted' is not 'was sorted'"
    ),
    "yeah the front door lock's broken in the tenancy, the bolt won't go across, i'm on my own "
    "with the kids and it's getting dark": (
        "property has no door-won't-lock situation (the locksmith's has)"
    ),
    "hi, the power's gone in the whole block and my dad's on a ventilator at home, the battery "
    "says forty minutes": "'power's gone' is 11 words from 'ventilator', past the window",
    "the balcony railing's come loose and my toddler's out there, he's leaning on it and won't "
    "come in": "'come loose' is heard over a place below, not with a child on it",
    "hi, a slate's gone through my neighbour's windscreen and more are sliding off onto the "
    "pavement, people are walking underneath": "'sliding off' is no falling verb",
    "um the scaffolding on the roof job has come loose in the wind and the top bit's swaying "
    "out over the road": "'the road' is not among the places below a loose thing",
    "the snow's piled up on the conservatory roof and it's started cracking, my mum's sat "
    "underneath it in her chair and can't get up fast": (
        "'cracking' was left out of the bowing words ('a crack in the ceiling' is a repair)"
    ),
    "hi, the ewe's been trying to lamb for two hours and nothing's coming, she's getting "
    "weaker": "'trying to lamb' is not 'giving birth' or 'in labour'",
}


def _cases(urgent: bool) -> list[object]:
    return [
        pytest.param(
            Trade(s["trade"]),
            s["text"],
            marks=[pytest.mark.xfail(strict=True, reason=WRONG[s["text"]])]
            if s["text"] in WRONG
            else [],
            id=f"{s['trade']}-{s['text'][:60]}",
        )
        for s in SENTENCES
        if s["urgent"] is urgent
    ]


def test_the_fifth_set_is_whole_and_its_wrong_sentences_are_in_it() -> None:
    assert [sum(s["urgent"] is u for s in SENTENCES) for u in (True, False)] == [80, 80]
    assert set(WRONG) <= {s["text"] for s in SENTENCES}


@pytest.mark.parametrize(("trade", "sentence"), _cases(urgent=True))
def test_a_fifth_set_of_emergencies_is_heard(trade: Trade, sentence: str) -> None:
    assert urgent_situation(sentence, trade) is not None


@pytest.mark.parametrize(("trade", "sentence"), _cases(urgent=False))
def test_a_fifth_set_of_everyday_questions_is_not_urgent(trade: Trade, sentence: str) -> None:
    assert urgent_situation(sentence, trade) is None
