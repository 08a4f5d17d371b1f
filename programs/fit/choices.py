"""What the fit page asks, and the words that read a program's stated requirements."""

import re
from decimal import Decimal

ROLES = [
    ("rn", "Registered nurse (RN)"),
    ("np", "Nurse practitioner (NP)"),
    ("physician", "Physician"),
    ("pharmacist", "Pharmacist"),
    ("pa", "Physician assistant (PA)"),
    ("allied", "Allied health professional"),
    ("public_health", "Public health professional"),
    ("other", "Other"),
]
LICENSED = {"rn", "np", "physician", "pharmacist", "pa", "allied"}

FIELDS = [
    ("nursing", "Nursing"),
    ("medicine", "Medicine or another health science"),
    ("pharmacy", "Pharmacy"),
    ("life_sciences", "Biology or another life science"),
    ("public_health", "Public health"),
    ("computing", "Computer science, information science or engineering"),
    ("quantitative", "Mathematics, statistics, physics or economics"),
    ("social", "Social sciences, psychology or humanities"),
    ("business", "Business"),
    ("other", "Another field"),
]

# Words in a program's "accepted bachelor's fields" that name each field of study.
FIELD_WORDS = {
    "nursing": ("nursing", "health sciences", "health-sciences", "health or social care"),
    "medicine": ("medicine", "medical", "health sciences", "health-sciences", "dentistry"),
    "pharmacy": ("pharmacy", "health sciences", "health-sciences"),
    "life_sciences": ("life sciences", "biolog", "biomedical", "biochemistry", "biotechnology"),
    "public_health": ("public health",),
    "computing": ("computer", "information science", "engineering", "computational"),
    "quantitative": ("mathemat", "statistic", "physics", "economics", "quantitative"),
    "social": ("social sciences", "sociology", "psychology"),
    "business": ("business",),
    "other": (),
}
# Words that accept a licensed clinician whatever the bachelor's field.
CLINICIAN_WORDS = ("health-related professionals", "health professions", "clinical", "nursing")
ANY_FIELD = re.compile(
    r"\bany (field|major|subject|discipline|academic|background)|\bno (specific|particular)"
    r"|\bwide range\b|\bvariety of\b|\bmost disciplines\b|\ball backgrounds\b",
    re.IGNORECASE,
)

PROGRAMMING = [
    ("none", "None"),
    ("some", "A course, or self-taught"),
    ("regular", "I use it regularly"),
]
YES_NO = [("yes", "Yes"), ("no", "No")]
PACES = [("part_time", "Part-time, while working"), ("full_time", "Full-time")]
FORMATS = [("online", "Online"), ("hybrid", "Hybrid"), ("campus", "On campus")]

MAX_GPA = Decimal(4)
