"""The first version of each conversation kind's template: sections and questions in Danish
and English.

The texts come from the OS2 handbook page "Kultur og udvikling" (trust, openness and shared
responsibility; helping each other and asking for help in time; learning and knowledge
sharing; the six focus areas of competence development; feedback as a gift, not a check;
leadership through meaning) and, for MUS, from the competence agreement between KL and the
unions (looking back over the year, tasks and roles, wellbeing, working with the leader,
competences and development, concrete agreements for a development plan). GRUS, the wellbeing
conversation and the expectations or follow-up conversation follow Danish municipal practice.

These are only the first version: administrators edit the templates in the app, and every
edit makes a new version. The questions are addressed to the participant who prepares, in
the informal "du", and most work for both the member and the leader. No question asks anyone
to rate a person with a number.
"""

from __future__ import annotations

from typing import Final, TypedDict


class Text(TypedDict):
    da: str
    en: str


class Section(TypedDict):
    title: Text
    questions: list[Text]


def _t(da: str, en: str) -> Text:
    return {"da": da, "en": en}


def _section(title: Text, *questions: Text) -> Section:
    return {"title": title, "questions": list(questions)}


# The six focus areas of competence development, named as on the handbook page.
_FOCUS_AREAS_DA = (
    "projekt- og proceskompetencer, open source og digital forvaltning, kommunikation og "
    "samarbejde, strategisk og analytisk tænkning, innovation og læring i praksis, eller "
    "personlig udvikling og trivsel"
)
_FOCUS_AREAS_EN = (
    "project and process skills, open source and digital public administration, communication "
    "and collaboration, strategic and analytical thinking, innovation and learning in practice, "
    "or personal development and wellbeing"
)


DEFAULT_TEMPLATES: Final[dict[str, list[Section]]] = {
    # Short and recurring: how are you, what went well, where do you need help, what is on
    # your mind, and what we agree on.
    "one_on_one": [
        _section(
            _t("Siden sidst", "Since last time"),
            _t("Hvordan har du det?", "How are you?"),
            _t("Hvad er gået godt siden sidst?", "What has gone well since last time?"),
        ),
        _section(
            _t("Det fylder lige nu", "On your mind right now"),
            _t("Hvad fylder for dig lige nu?", "What is on your mind at the moment?"),
            _t(
                "Hvor har du brug for hjælp eller sparring?",
                "Where do you need help or sparring?",
            ),
        ),
        _section(
            _t("Aftaler", "Agreements"),
            _t("Hvad aftaler vi til næste gang?", "What do we agree on for next time?"),
        ),
    ],
    # KL's competence agreement: the annual development conversation.
    "mus": [
        _section(
            _t("Tilbageblik", "Looking back"),
            _t(
                "Hvad er du mest tilfreds med fra det seneste år?",
                "What are you most pleased with from the past year?",
            ),
            _t(
                "Hvad har været svært, og hvad har du lært af det?",
                "What has been difficult, and what have you learnt from it?",
            ),
            _t(
                "Hvordan er det gået med de aftaler, vi lavede ved sidste samtale?",
                "How have the agreements we made at our last conversation worked out?",
            ),
        ),
        _section(
            _t("Opgaver og roller", "Tasks and roles"),
            _t(
                "Hvilke opgaver giver dig mest mening og arbejdsglæde?",
                "Which tasks give you the most meaning and joy in your work?",
            ),
            _t(
                "Er din rolle, dit ansvar og det, vi forventer af hinanden, tydeligt for dig?",
                "Are your role, your responsibilities and what we expect of each other clear "
                "to you?",
            ),
            _t(
                "Hvordan ser du dine opgaver udvikle sig i det kommende år?",
                "How do you see your tasks developing in the coming year?",
            ),
        ),
        _section(
            _t("Trivsel og arbejdsmiljø", "Wellbeing and working environment"),
            _t(
                "Hvordan trives du i dit arbejde og i teamet?",
                "How are you getting on in your work and in the team?",
            ),
            _t(
                "Hvordan er balancen mellem ansvar, faglig stolthed og arbejdsglæde for dig?",
                "How is the balance between responsibility, professional pride and joy in "
                "your work?",
            ),
            _t(
                "Hvad kan vi gøre for et positivt og løsningsorienteret arbejdsmiljø, hvor vi "
                "hjælper hinanden og beder om hjælp i tide?",
                "What can we do for a positive, solution-focused working environment where we "
                "help each other and ask for help in good time?",
            ),
        ),
        _section(
            _t("Samarbejdet med lederen", "Working with the leader"),
            _t(
                "Hvad fungerer godt i vores samarbejde, og hvad kunne vi gøre anderledes?",
                "What works well in the way we work together, and what could we do differently?",
            ),
            _t(
                "Hvilken feedback vil du gerne give, og hvilken vil du gerne have? Feedback er "
                "en gave, ikke en kontrol.",
                "What feedback would you like to give, and what would you like to receive? "
                "Feedback is a gift, not a form of control.",
            ),
            _t(
                "Er retningen for vores arbejde tydelig, og kan du se meningen med den?",
                "Is the direction of our work clear, and can you see the meaning in it?",
            ),
        ),
        _section(
            _t("Kompetencer og udvikling", "Competences and development"),
            _t(
                "Hvilke af de seks fokusområder vil du helst udvikle dig inden for i det "
                f"kommende år: {_FOCUS_AREAS_DA}?",
                "Which of the six focus areas would you most like to develop in over the "
                f"coming year: {_FOCUS_AREAS_EN}?",
            ),
            _t(
                "Hvordan lærer du bedst: gennem opgaverne, sparring i teamet, videndeling, "
                "kurser eller konferencer?",
                "How do you learn best: through your tasks, sparring in the team, knowledge "
                "sharing, courses or conferences?",
            ),
            _t(
                "Hvilken viden og erfaring har du, som andre kan bygge videre på, og hvordan "
                "kan du dele den?",
                "What knowledge and experience do you have that others could build on, and "
                "how could you share it?",
            ),
        ),
        _section(
            _t("Aftaler", "Agreements"),
            _t(
                "Hvad vil du gerne have med i din udviklingsplan for det kommende år?",
                "What would you like to include in your development plan for the coming year?",
            ),
            _t(
                "Hvilke konkrete aftaler laver vi? Hvem gør hvad, og hvornår?",
                "What concrete agreements do we make? Who does what, and by when?",
            ),
            _t(
                "Hvornår og hvordan følger vi op?",
                "When and how do we follow up?",
            ),
        ),
    ],
    # Group development conversation: the group's tasks, how it works together, and the
    # group's and each person's development (an individual plan for each follows).
    "grus": [
        _section(
            _t("Gruppens opgaver", "The group's tasks"),
            _t(
                "Hvad er du mest stolt af, at gruppen har nået i det seneste år?",
                "What are you proudest that the group has achieved over the past year?",
            ),
            _t(
                "Hvilke opgaver og fælles mål skal gruppen lykkes med i det kommende år?",
                "Which tasks and shared goals does the group need to succeed with in the "
                "coming year?",
            ),
            _t(
                "Er roller og ansvar tydelige, så vi kan tage fælles ansvar for vores mål?",
                "Are roles and responsibilities clear, so that we can take shared "
                "responsibility for our goals?",
            ),
        ),
        _section(
            _t("Samarbejdet i gruppen", "Working together in the group"),
            _t(
                "Hvad fungerer godt i den måde, vi arbejder sammen på?",
                "What works well in the way we work together?",
            ),
            _t(
                "Hvordan deler vi viden, hjælper hinanden og beder om hjælp i tide, og hvad "
                "kunne vi gøre bedre?",
                "How do we share knowledge, help each other and ask for help in good time, "
                "and what could we do better?",
            ),
            _t(
                "Hvordan bruger vi vores forskellige perspektiver og fagligheder som en styrke?",
                "How do we use our different perspectives and expertise as a strength?",
            ),
        ),
        _section(
            _t("Gruppens udvikling", "The group's development"),
            _t(
                "Hvilke kompetencer har gruppen brug for at udvikle?",
                "Which competences does the group need to develop?",
            ),
            _t(
                "Hvordan kan vi lære sammen i hverdagen, for eksempel gennem sparring, reviews "
                "og videndeling?",
                "How can we learn together day to day, for example through sparring, reviews "
                "and knowledge sharing?",
            ),
        ),
        _section(
            _t("Din egen udvikling", "Your own development"),
            _t(
                "Hvad vil du selv gerne udvikle, og hvordan kan gruppen hjælpe dig?",
                "What would you like to develop yourself, and how can the group help you?",
            ),
            _t(
                "Hvad vil du gerne have med i din individuelle plan?",
                "What would you like to include in your individual plan?",
            ),
        ),
        _section(
            _t("Aftaler", "Agreements"),
            _t(
                "Hvilke fælles aftaler laver vi? Hvem gør hvad, og hvornår?",
                "What shared agreements do we make? Who does what, and by when?",
            ),
            _t("Hvornår følger vi op?", "When do we follow up?"),
        ),
    ],
    # Trivselssamtale: how the person is, workload and balance, the community, what we do.
    "wellbeing": [
        _section(
            _t("Hvordan har du det?", "How are you?"),
            _t(
                "Hvordan trives du i dit arbejde lige nu?",
                "How are you getting on in your work at the moment?",
            ),
            _t(
                "Hvad giver dig energi og arbejdsglæde, og hvad tager energi?",
                "What gives you energy and joy in your work, and what drains it?",
            ),
        ),
        _section(
            _t("Arbejdsmængde og balance", "Workload and balance"),
            _t(
                "Hvordan oplever du din arbejdsmængde og balancen mellem arbejde og fritid?",
                "How do you find your workload and the balance between work and the rest of "
                "your life?",
            ),
            _t(
                "Er der noget, der fylder for dig, på arbejdet eller uden for det, som det "
                "vil hjælpe at tale om?",
                "Is there anything on your mind, at work or outside it, that it would help "
                "to talk about?",
            ),
        ),
        _section(
            _t("Fællesskab og samarbejde", "Community and working together"),
            _t(
                "Hvordan oplever du samarbejdet og tonen i teamet?",
                "How do you find the collaboration and the tone in the team?",
            ),
            _t(
                "Føler du dig tryg ved at sige din mening åbent og bede om hjælp i tide?",
                "Do you feel safe saying what you think openly and asking for help in good time?",
            ),
        ),
        _section(
            _t("Hvad gør vi?", "What do we do?"),
            _t(
                "Hvad kan hver af os gøre for at styrke trivslen?",
                "What can each of us do to strengthen wellbeing?",
            ),
            _t(
                "Hvad aftaler vi, og hvornår følger vi op?",
                "What do we agree on, and when do we follow up?",
            ),
        ),
    ],
    # Forventningssamtale or opfølgningssamtale: roles, responsibilities and expectations,
    # for example with a newcomer after 3 to 6 months.
    "expectations": [
        _section(
            _t("Sådan er det gået", "How it has gone"),
            _t(
                "Hvordan er det gået indtil nu, og hvad har overrasket dig?",
                "How has it gone so far, and what has surprised you?",
            ),
            _t(
                "Hvad har fungeret godt, og hvad har du savnet?",
                "What has worked well, and what have you missed?",
            ),
        ),
        _section(
            _t("Roller og ansvar", "Roles and responsibilities"),
            _t(
                "Hvordan forstår du din rolle og dit ansvar i teamet?",
                "How do you understand your role and your responsibilities in the team?",
            ),
            _t(
                "Hvilke opgaver og beslutninger ligger hos dig, og hvor skal vi afstemme med "
                "hinanden?",
                "Which tasks and decisions are yours, and where do we need to align with each "
                "other?",
            ),
        ),
        _section(
            _t("Forventninger til hinanden", "Expectations of each other"),
            _t(
                "Hvad forventer du af vores samarbejde?",
                "What do you expect of our collaboration?",
            ),
            _t(
                "Er der forventninger på begge sider, som er uklare eller ikke bliver mødt?",
                "Are there expectations on either side that are unclear or not being met?",
            ),
            _t(
                "Hvordan vil du gerne have feedback og sparring, og hvor ofte?",
                "How would you like to get feedback and sparring, and how often?",
            ),
        ),
        _section(
            _t("Aftaler og opfølgning", "Agreements and follow-up"),
            _t(
                "Hvad aftaler vi, så roller, ansvar og forventninger er tydelige for os begge?",
                "What do we agree on, so that roles, responsibilities and expectations are "
                "clear to both of us?",
            ),
            _t("Hvornår følger vi op?", "When do we follow up?"),
        ),
    ],
    # A free conversation: one open section.
    "free": [
        _section(
            _t("Det vil jeg gerne tale om", "What I would like to talk about"),
            _t(
                "Hvad vil du gerne tale om, og hvad vil du gerne have ud af samtalen?",
                "What would you like to talk about, and what would you like to get out of "
                "the conversation?",
            ),
        ),
    ],
}
