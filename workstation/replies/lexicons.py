"""Default word lists of the guardrails, in English and French.

These are the values used when rules.toml's `[guardrails]` table does not set a list; the
shipped rules.toml spells the same lists out so a team can read and tune them. Matching is
on folded text (no case, no accents, straight apostrophes) and on whole words.
"""

from __future__ import annotations

PRIVATE_TERMS: dict[str, dict[str, list[str]]] = {
    "en": {
        "card": ["card number", "credit card", "debit card", "card details", "cvv", "cvc",
                 "security code", "expiry date", "long number on your card"],
        "iban": ["iban", "bank details", "bank account", "account number", "sort code",
                 "routing number", "swift"],
        "password": ["password", "passcode", "pin code", "login details", "your login"],
        "health": ["allergy", "allergies", "allergic", "asthma", "diabetes", "diabetic",
                   "pregnant", "pregnancy", "medication", "prescription", "diagnosis",
                   "diagnosed", "illness", "disease", "injury", "injuries", "injured",
                   "hospital", "your doctor", "symptoms", "blood pressure", "heart condition",
                   "medical"],
        "phone": ["phone", "phone number", "mobile number", "cell number", "telephone",
                  "whatsapp number"],
        "email": ["email", "e-mail", "email address", "e-mail address", "mail address"],
        "address": ["your address", "postal address", "home address", "shipping address",
                    "delivery address", "street address", "postcode", "zip code",
                    "where you live"],
    },
    "fr": {
        "card": ["numero de carte", "carte bancaire", "carte de credit", "carte bleue",
                 "cryptogramme", "date d'expiration", "code de securite"],
        "iban": ["iban", "rib", "releve d'identite bancaire", "coordonnees bancaires",
                 "numero de compte", "compte bancaire"],
        "password": ["mot de passe", "mdp", "code pin", "identifiants", "code d'acces"],
        "health": ["allergie", "allergies", "allergique", "asthme", "diabete", "diabetique",
                   "enceinte", "grossesse", "medicament", "medicaments", "ordonnance",
                   "diagnostic", "maladie", "malade", "blessure", "blessures", "blesse",
                   "blessee", "hopital", "votre medecin", "symptomes", "tension arterielle",
                   "medical", "medicale", "brulure", "brulures"],
        "phone": ["telephone", "numero de telephone", "numero de portable", "numero de mobile",
                  "votre portable", "votre tel", "numero whatsapp"],
        "email": ["email", "e-mail", "par mail", "votre mail", "ton mail", "adresse mail",
                  "adresse e-mail", "courriel", "adresse electronique"],
        "address": ["votre adresse", "ton adresse", "adresse postale", "adresse de livraison",
                    "adresse du domicile", "code postal", "ou vous habitez"],
    },
}
"""Words that show a reply asks for (or talks about) a kind of private data."""

DM_WORDS: dict[str, list[str]] = {
    "en": ["dm", "dms", "direct message", "private message", "message us privately",
           "in private", "privately", "inbox"],
    "fr": ["mp", "dm", "message prive", "messages prives", "en prive", "messagerie privee",
           "par message"],
}
"""Words that send the customer to a private channel."""

LIABILITY: dict[str, list[str]] = {
    "en": ["our fault", "my fault", "we are liable", "we're liable", "we are responsible for",
           "we're responsible for", "we take full responsibility", "we accept responsibility",
           "we accept liability", "we admit", "we were negligent", "our negligence",
           "our mistake", "we made a mistake", "we messed up", "the product is defective",
           "it was defective", "we will compensate you for"],
    "fr": ["c'est de notre faute", "c'est notre faute", "notre faute", "de notre faute",
           "nous sommes responsables", "on est responsables", "nous sommes en tort",
           "nous reconnaissons notre responsabilite", "nous assumons l'entiere responsabilite",
           "nous assumons la responsabilite", "nous admettons", "notre erreur",
           "nous avons commis une erreur", "par notre negligence", "notre negligence",
           "le produit est defectueux", "on s'est plante", "nous allons vous indemniser"],
}
"""Phrases that admit fault or liability; never on a safety or legal conversation."""
