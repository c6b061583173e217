"""What callers of the demo dental clinic talk about: scripted conversations for sample calls."""

from __future__ import annotations

from dataclasses import dataclass, field

# Speaker and text; the agent's knowledge sources ride along where it answered from documents.
Turn = tuple[str, str] | tuple[str, str, list[str]]


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    weight: int
    turns: list[Turn]
    summary: str
    sentiment: str
    resolved_by_ai: bool
    end_reason: str = "caller_hangup"
    escalation: tuple[str, str] | None = None  # (reason, priority)
    notes: list[str] = field(default_factory=list)


SCENARIOS: list[Scenario] = [
    Scenario(
        "book_cleaning",
        30,
        [
            ("agent", "Thanks for calling Demo Dental Clinic, this is the virtual assistant."),
            ("caller", "Hi, I'd like to book a cleaning, it's been about a year."),
            ("agent", "Of course. Are mornings or afternoons better for you?"),
            ("caller", "Mornings, ideally before work."),
            ("agent", "I have Tuesday at 8:30 or Thursday at 9:00. Which would you like?"),
            ("caller", "Tuesday at 8:30 works."),
            ("agent", "You're booked for Tuesday at 8:30. You'll get a text reminder."),
        ],
        "New cleaning appointment booked for Tuesday 8:30.",
        "positive",
        True,
    ),
    Scenario(
        "reschedule",
        18,
        [
            ("agent", "Thanks for calling Demo Dental Clinic, how can I help?"),
            ("caller", "I need to move my appointment on Friday, something came up."),
            ("agent", "No problem. I can offer Monday at 2:00 or Wednesday at 11:00."),
            ("caller", "Wednesday at 11, please."),
            ("agent", "Done: Wednesday at 11:00. Your Friday slot is released."),
        ],
        "Moved Friday's appointment to Wednesday 11:00.",
        "neutral",
        True,
    ),
    Scenario(
        "hours_and_parking",
        14,
        [
            ("agent", "Thanks for calling Demo Dental Clinic, how can I help?"),
            ("caller", "What time are you open on Fridays, and is there parking?"),
            (
                "agent",
                "We're open 8 to 5 on Fridays. There is free parking behind the building.",
                ["doc:hours", "doc:directions"],
            ),
            ("caller", "Great, thanks."),
        ],
        "Asked about Friday hours and parking; answered from the website.",
        "positive",
        True,
    ),
    Scenario(
        "insurance",
        14,
        [
            ("agent", "Thanks for calling Demo Dental Clinic, how can I help?"),
            ("caller", "Do you take Delta Dental PPO?"),
            (
                "agent",
                "Yes, we're in network for Delta Dental PPO. Bring your card to the visit.",
                ["doc:insurance-faq"],
            ),
            ("caller", "And is a cleaning fully covered?"),
            (
                "agent",
                "Most PPO plans cover two cleanings a year; we'll confirm your benefits "
                "before the visit.",
                ["doc:insurance-faq"],
            ),
        ],
        "Insurance question (Delta Dental PPO): in network, cleanings usually covered.",
        "positive",
        True,
    ),
    Scenario(
        "billing_dispute",
        5,
        [
            ("agent", "Thanks for calling Demo Dental Clinic, how can I help?"),
            ("caller", "I was charged twice for my last visit and I want it fixed."),
            ("agent", "I'm sorry about that. Can you tell me the date of the visit?"),
            ("caller", "March 3rd. I've called about this before."),
            ("agent", "I'll pass this to our billing team so a person can sort it out today."),
        ],
        "Caller reports a duplicate charge; handed to billing.",
        "negative",
        False,
        escalation=("Duplicate charge on a past visit; caller has called before", "high"),
        notes=["Checked the ledger: two card payments on the same day. Refund requested."],
    ),
    Scenario(
        "toothache",
        3,
        [
            ("agent", "Thanks for calling Demo Dental Clinic, how can I help?"),
            ("caller", "My face is swollen and the pain is really bad since last night."),
            ("agent", "That needs a person right away. I'm transferring you to our team now."),
        ],
        "Swelling and severe pain: transferred to staff as an emergency.",
        "negative",
        False,
        end_reason="transferred",
        escalation=("Possible dental emergency (swelling, severe pain)", "urgent"),
        notes=["Seen same day by Dr. Patel."],
    ),
    Scenario(
        "cancel",
        6,
        [
            ("agent", "Thanks for calling Demo Dental Clinic, how can I help?"),
            ("caller", "I want to cancel my appointment next week, I'm moving away."),
            ("agent", "I've cancelled it. Would you like us to send your records on?"),
            ("caller", "Yes please, I'll email the new clinic's address."),
        ],
        "Cancelled next week's appointment; patient moving, records to follow.",
        "neutral",
        True,
        notes=["Waiting for the new clinic's address to send records."],
    ),
    Scenario(
        "speak_to_dentist",
        3,
        [
            ("agent", "Thanks for calling Demo Dental Clinic, how can I help?"),
            (
                "caller",
                "I have questions about the implant treatment plan, can I talk to the dentist?",
            ),
            ("agent", "I'll ask Dr. Patel's team to call you back today."),
        ],
        "Wants to discuss an implant treatment plan with the dentist; callback requested.",
        "neutral",
        False,
        escalation=("Callback requested about an implant treatment plan", "normal"),
    ),
]

REMINDER_TURNS: list[Turn] = [
    ("agent", "Hello, this is Demo Dental Clinic calling to confirm your visit tomorrow at 10."),
    ("caller", "Yes, I'll be there."),
    ("agent", "Thank you, see you tomorrow."),
]
NOTE_AUTHOR_LINES = ["Called back, all sorted.", "Patient prefers text messages."]
