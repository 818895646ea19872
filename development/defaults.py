"""The first version of the competence framework: the six focus areas of the OS2 handbook page
"Kultur og udvikling", with its Danish descriptions, in English too, and a description of
behaviour for each level of the 1–4 scale.

The levels read the same way in every area: 1 "I am getting started", 2 "I do it on my own",
3 "I do it well and help the team do it", 4 "I lead the way and teach others". They describe
what a person does, not what they are, and nobody rates anyone else with them.

These are only the first version: administrators edit the framework in the app, and every
edit makes a new version.
"""

from __future__ import annotations

from typing import Final, TypedDict


class Text(TypedDict):
    da: str
    en: str


class DefaultArea(TypedDict):
    key: str
    name: Text
    description: Text
    levels: list[Text]


DEFAULT_AREAS: Final[list[DefaultArea]] = [
    {
        "key": "projekt-og-proces",
        "name": {"da": "Projekt- og proceskompetencer", "en": "Project and process skills"},
        "description": {
            "da": "Evnen til at skabe fremdrift, overblik og fælles læring i komplekse "
            "samarbejder.",
            "en": "The ability to create progress, overview and shared learning in complex "
            "collaborations.",
        },
        "levels": [
            {
                "da": "Jeg kender mine opgaver i projektet og beder om hjælp, når jeg mister "
                "overblikket.",
                "en": "I know my tasks in the project and ask for help when I lose the overview.",
            },
            {
                "da": "Jeg planlægger og følger op på mine egne leverancer og siger til i tide, "
                "når noget skrider.",
                "en": "I plan and follow up my own deliveries and speak up in time when "
                "something slips.",
            },
            {
                "da": "Jeg skaber overblik for andre, leder møder og processer, og samler op på "
                "det, vi lærer.",
                "en": "I create overview for others, lead meetings and processes, and gather "
                "what we learn.",
            },
            {
                "da": "Jeg leder komplekse samarbejder på tværs af organisationer og lærer andre "
                "at skabe fremdrift.",
                "en": "I lead complex collaborations across organisations and teach others to "
                "create progress.",
            },
        ],
    },
    {
        "key": "open-source-og-digital-forvaltning",
        "name": {
            "da": "Open source og digital forvaltning",
            "en": "Open source and digital public administration",
        },
        "description": {
            "da": "Forståelse for værdier, metoder og governance i åbne fællesskaber.",
            "en": "Understanding of the values, methods and governance of open communities.",
        },
        "levels": [
            {
                "da": "Jeg kender de grundlæggende idéer i open source og OS2's måde at arbejde "
                "på.",
                "en": "I know the basic ideas of open source and the way OS2 works.",
            },
            {
                "da": "Jeg arbejder efter fællesskabets metoder og governance i mine egne opgaver.",
                "en": "I work by the community's methods and governance in my own tasks.",
            },
            {
                "da": "Jeg forklarer værdier og governance for kommuner og leverandører og "
                "bidrager til fællesskabets beslutninger.",
                "en": "I explain the values and governance to municipalities and suppliers and "
                "contribute to the community's decisions.",
            },
            {
                "da": "Jeg former fællesskabets retning og governance og hjælper andre med at "
                "arbejde åbent.",
                "en": "I shape the community's direction and governance and help others work "
                "in the open.",
            },
        ],
    },
    {
        "key": "kommunikation-og-samarbejde",
        "name": {"da": "Kommunikation og samarbejde", "en": "Communication and collaboration"},
        "description": {
            "da": "Tydelig, tillidsfuld og respektfuld dialog på tværs af fagligheder.",
            "en": "Clear, trusting and respectful dialogue across professions.",
        },
        "levels": [
            {
                "da": "Jeg lytter, spørger, når jeg er i tvivl, og holder andre orienteret om "
                "mit arbejde.",
                "en": "I listen, ask when in doubt, and keep others informed about my work.",
            },
            {
                "da": "Jeg kommunikerer tydeligt og respektfuldt, også når vi er uenige, og "
                "giver og modtager feedback.",
                "en": "I communicate clearly and respectfully, also when we disagree, and give "
                "and receive feedback.",
            },
            {
                "da": "Jeg bygger bro mellem fagligheder og skaber rum for åben dialog i teamet.",
                "en": "I bridge professions and make room for open dialogue in the team.",
            },
            {
                "da": "Jeg skaber tillid i svære samarbejder på tværs af organisationer og "
                "hjælper andre med at gøre det samme.",
                "en": "I build trust in difficult collaborations across organisations and help "
                "others do the same.",
            },
        ],
    },
    {
        "key": "strategisk-og-analytisk",
        "name": {
            "da": "Strategisk og analytisk tænkning",
            "en": "Strategic and analytical thinking",
        },
        "description": {
            "da": "Evnen til at koble data, indsigt og formål i en offentlig kontekst.",
            "en": "The ability to connect data, insight and purpose in a public context.",
        },
        "levels": [
            {
                "da": "Jeg forstår formålet med mine opgaver og de tal, de bygger på.",
                "en": "I understand the purpose of my tasks and the figures they rest on.",
            },
            {
                "da": "Jeg bruger data og indsigt til at begrunde mine valg og forslag.",
                "en": "I use data and insight to support my choices and proposals.",
            },
            {
                "da": "Jeg kobler analyser til organisationens strategi og hjælper teamet med "
                "at prioritere.",
                "en": "I connect analyses to the organisation's strategy and help the team "
                "prioritise.",
            },
            {
                "da": "Jeg sætter retning ud fra data og formål på tværs af organisationer og "
                "lærer andre at tænke strategisk.",
                "en": "I set direction from data and purpose across organisations and teach "
                "others to think strategically.",
            },
        ],
    },
    {
        "key": "innovation-og-laering",
        "name": {
            "da": "Innovation og læring i praksis",
            "en": "Innovation and learning in practice",
        },
        "description": {
            "da": "Modet til at eksperimentere, reflektere og dele viden åbent.",
            "en": "The courage to experiment, reflect and share knowledge openly.",
        },
        "levels": [
            {
                "da": "Jeg er nysgerrig på nye måder at løse mine opgaver på.",
                "en": "I am curious about new ways of doing my tasks.",
            },
            {
                "da": "Jeg afprøver nyt i mine egne opgaver, reflekterer over det og deler, hvad "
                "jeg lærer.",
                "en": "I try new things in my own tasks, reflect on them and share what I learn.",
            },
            {
                "da": "Jeg sætter eksperimenter i gang i teamet og sørger for, at erfaringerne "
                "bliver dokumenteret og delt.",
                "en": "I start experiments in the team and see that what we learn is "
                "documented and shared.",
            },
            {
                "da": "Jeg skaber en kultur, hvor det er trygt at eksperimentere og fejle, og "
                "lærer andre at dele viden åbent.",
                "en": "I build a culture where it is safe to experiment and fail, and teach "
                "others to share knowledge openly.",
            },
        ],
    },
    {
        "key": "personlig-udvikling-og-trivsel",
        "name": {
            "da": "Personlig udvikling og trivsel",
            "en": "Personal development and wellbeing",
        },
        "description": {
            "da": "Balancen mellem ansvar, faglig stolthed og arbejdsglæde.",
            "en": "The balance between responsibility, professional pride and joy in work.",
        },
        "levels": [
            {
                "da": "Jeg mærker efter, hvordan jeg har det med mit arbejde, og siger til, når "
                "noget er svært.",
                "en": "I notice how I feel about my work and speak up when something is hard.",
            },
            {
                "da": "Jeg tager ansvar for min egen udvikling og balance og beder om hjælp i "
                "tide.",
                "en": "I take responsibility for my own development and balance and ask for "
                "help in time.",
            },
            {
                "da": "Jeg bidrager til et godt arbejdsmiljø og holder øje med, hvordan mine "
                "kolleger har det.",
                "en": "I contribute to a good working environment and keep an eye on how my "
                "colleagues are.",
            },
            {
                "da": "Jeg går forrest for trivsel og udvikling og hjælper andre med at finde "
                "balancen.",
                "en": "I lead the way on wellbeing and development and help others find the "
                "balance.",
            },
        ],
    },
]
