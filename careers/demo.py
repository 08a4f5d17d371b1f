"""Demo careers and certifications: what the seed article says about them, and nothing more.

Read by the load_demo command. The article gives its salary premium for certifications in
general; each certification carries it with a citation note saying so. Its salary band and job
growth for healthcare AI graduates in general are site statistics. What the article does not
say about a role or a credential comes from the catalogue (portal/catalogue.xlsx), each fact
from the page of the body that publishes it, or stays empty.
"""

from decimal import Decimal

from careers.models import Certification

SKILLS = [
    (
        "python-programming",
        "Python programming",
        "Writing programs in Python, a language widely used for AI and data work.",
    ),
    (
        "r-programming",
        "R programming",
        "Writing programs in R, a language built for statistics and data analysis.",
    ),
    (
        "machine-learning",
        "Machine learning",
        "Building models that learn patterns from data and use them to make predictions.",
    ),
    (
        "statistics",
        "Statistics",
        "Describing data and judging how far conclusions drawn from it can be trusted.",
    ),
    (
        "natural-language-processing",
        "Natural language processing",
        "Getting usable information out of written text such as clinical notes.",
    ),
    (
        "health-data-privacy",
        "Health data privacy and HIPAA",
        "Keeping patient information protected as laws such as HIPAA require.",
    ),
    (
        "clinical-domain-knowledge",
        "Clinical domain knowledge",
        "Understanding how care is delivered, so that AI tools fit clinical practice.",
    ),
    (
        "data-analysis",
        "Data analysis",
        "Cleaning, exploring and summarising data to answer a question.",
    ),
    (
        "predictive-modelling",
        "Predictive modelling",
        "Estimating what is likely to happen, such as a patient's outcome, from past records.",
    ),
    (
        "regulatory-compliance",
        "Regulatory compliance",
        "Making sure that data and AI tools meet the rules that apply to them in healthcare.",
    ),
    (
        "algorithm-development",
        "Algorithm development",
        "Designing the step-by-step methods software uses to process data and reach a result.",
    ),
    (
        "data-modelling",
        "Data modelling",
        "Deciding how data is structured and related, so it can be stored and analysed.",
    ),
    (
        "ehr-optimisation",
        "EHR optimisation",
        "Improving how electronic health records are set up and used by clinicians.",
    ),
]

# The article: employers of these graduates "span" these four kinds of organisation.
EMPLOYER_TYPES = [
    ("hospitals", "Hospitals"),
    ("technology-companies", "Technology companies"),
    ("government-health-agencies", "Government health agencies"),
    ("research-institutions", "Research institutions"),
]

# Only the issuers the article names. IEEE is known by its acronym, as ABET is.
ISSUING_BODIES = [
    {"slug": "ieee", "name": "IEEE", "abbreviation": ""},
    {
        "slug": "ahima",
        "name": "American Health Information Management Association",
        "abbreviation": "AHIMA",
    },
]

# The article says professionals in all these roles must meet regulatory standards, fit AI
# into clinical workflows with healthcare domain knowledge, and know health data privacy law.
SKILLS_OF_EVERY_ROLE = ["clinical-domain-knowledge", "regulatory-compliance", "health-data-privacy"]

CAREERS = [
    {
        "slug": "clinical-ai-analyst",
        "title": "Clinical AI analyst",
        "summary": "Interprets what AI tools find in clinical data, so that care improves and "
        "diagnoses become more accurate.",
        "graduate_share": Decimal("28"),
        "skills": ["data-analysis"],
    },
    {
        "slug": "healthcare-data-scientist",
        "title": "Healthcare data scientist",
        "summary": "Applies machine learning to large health datasets, such as electronic "
        "health records and medical images, to find trends that guide treatment decisions.",
        "graduate_share": Decimal("24"),
        "skills": ["machine-learning", "data-analysis"],
    },
    {
        "slug": "ai-implementation-specialist",
        "title": "AI implementation specialist",
        "summary": "Makes sure AI tools are brought into a healthcare organisation's existing "
        "systems smoothly.",
        "graduate_share": Decimal("19"),
        "skills": [],
    },
    # The article names the next three roles without a share or a description of the work.
    {"slug": "ai-product-manager", "title": "AI product manager"},
    {"slug": "clinical-informatics-specialist", "title": "Clinical informatics specialist"},
    {"slug": "medical-ai-research-scientist", "title": "Medical AI research scientist"},
]

# Figures the article gives for healthcare AI graduates or roles in general, set on every role.
# The article's salary band and 42% growth are for healthcare AI graduates and roles in
# general: they are site-wide statistics (load_demo), not any one role's figures, which come
# from the role's standard occupation in the catalogue (BLS, O*NET).
GRADUATE_SHARE_NOTE = (
    "The article gives this as the share of healthcare AI master's graduates who step into "
    "this role; it does not say where the figure comes from."
)

CERTIFICATION_SALARY_EFFECT = Decimal("34")
CERTIFICATION_SALARY_NOTE = (
    "The article reports about 34% higher salaries for holders of an AI master's degree plus an "
    "industry certification in machine learning or healthcare informatics than for the degree "
    "alone, not for this certification specifically; it credits Burning Glass Technologies "
    "Labor Insights."
)

ML_ROLES = ["healthcare-data-scientist", "medical-ai-research-scientist"]

CERTIFICATIONS = [
    {
        "slug": "certified-machine-learning-professional",
        "name": "Certified Machine Learning Professional",
        "acronym": "CMLP",
        "issuer": None,
        "credential_type": Certification.CredentialType.CERTIFICATION,
        "summary": "A machine learning credential that, according to the source article, shows "
        "skill in developing algorithms and modelling data for healthcare applications. The "
        "article does not say who awards it, and no issuer's page of this name was found.",
        "salary_effect": True,
        "skills": ["machine-learning", "algorithm-development", "data-modelling"],
        "careers": ML_ROLES,
    },
    {
        "slug": "ieee-certifications",
        "name": "IEEE certifications",
        "acronym": "",
        "issuer": "ieee",
        "credential_type": Certification.CredentialType.CREDENTIAL_FAMILY,
        "summary": "Not published: the source article names “IEEE certifications” for skill "
        "in developing algorithms and modelling data for healthcare, without saying which. "
        "IEEE has no one credential of that name: its Computer Society certifies software "
        "professionals, and IEEE CertifAIEd (listed) certifies AI systems.",
        "published": False,
        "salary_effect": True,
        "skills": ["algorithm-development", "data-modelling"],
        "careers": ML_ROLES,
    },
    {
        "slug": "cphims",
        "name": "Certified Professional in Healthcare Information and Management Systems",
        "acronym": "CPHIMS",
        "issuer": None,
        "credential_type": Certification.CredentialType.CERTIFICATION,
        "summary": "A healthcare informatics certification that, according to the source "
        "article, joins clinical knowledge with data analytics, for work on electronic health "
        "records and clinical decision support systems.",
        "salary_effect": True,
        "skills": ["clinical-domain-knowledge", "data-analysis", "ehr-optimisation"],
        "careers": ["clinical-informatics-specialist"],
    },
    {
        "slug": "ahima-health-informatics-certification",
        "name": "Health Informatics Certification",
        "acronym": "",
        "issuer": "ahima",
        "credential_type": Certification.CredentialType.CERTIFICATION,
        "summary": "Not published: the source article names a “Health Informatics "
        "Certification” from AHIMA, but AHIMA's own list of its credentials has none of that "
        "name (it lists RHIA, RHIT, CCA, CCS, CCS-P, CHPS, CHDA and CDIP).",
        "published": False,
        "salary_effect": True,
        "skills": ["clinical-domain-knowledge", "data-analysis", "ehr-optimisation"],
        "careers": ["clinical-informatics-specialist"],
    },
    {
        "slug": "certified-health-data-analyst",
        "name": "Certified Health Data Analyst",
        "acronym": "CHDA",
        "issuer": None,
        "credential_type": Certification.CredentialType.CERTIFICATION,
        "summary": "A data analytics certification that, according to the source article, "
        "strengthens the handling of complex healthcare datasets within the rules that apply "
        "to them, for tasks such as predicting patient outcomes.",
        # The article's premium is for certifications "in machine learning or healthcare
        # informatics"; it presents CHDA apart from those, as a data analytics certification.
        "salary_effect": False,
        "skills": ["data-analysis", "regulatory-compliance", "predictive-modelling"],
        "careers": ["healthcare-data-scientist", "clinical-ai-analyst"],
    },
]
