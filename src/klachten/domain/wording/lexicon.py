"""R12: the parties the rule protects and the words blame is made of, in Dutch and English.

These lists are *features* of the learned R12 model (:mod:`klachten.domain.wording.blame`), not
rules by themselves: a party word says who a sentence is about, a cue word how it speaks of
them, and the model weighs both together with the sentence's other words.

A party word may also end a compound when it is listed as a *head* (``inschrijfsysteem``,
``boekenleverancier``, ``baliemedewerker``); short words (``app``, ``ict``) only count alone.
Words are matched on their lower-cased, accent-folded form and on their lemma.
"""

from __future__ import annotations

COLLEAGUE = "colleague"
ORGANISATION = "organisation"
SYSTEM = "system"
SUPPLIER = "supplier"
NAME = "name"  # a person's name: a colleague by name, unless a title makes it the customer
PARTIES = (COLLEAGUE, ORGANISATION, SYSTEM, SUPPLIER)


def words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Dutch parties: whole words (any form the lemmatiser reduces to these) ...
_NL_PARTY = {
    COLLEAGUE: words(
        "collega medewerker medewerkster docent docente trainer trainster instructeur "
        "cursusleider coördinator coordinator secretaresse receptionist receptioniste stagiair "
        "stagiaire leidinggevende teamleider behandelaar manager mentor begeleider begeleidster "
        "planner planster examinator surveillant adviseur consulent invaller vervanger "
        "opleider leraar lerares studiebegeleider roostermaker administrateur baliemedewerker "
        "telefoniste voorganger contactpersoon studieadviseur opleidingsadviseur secretaris "
        "examensecretaris boekhouder conciërge concierge accountmanager assistent coach "
        "praktijkbegeleider bureaumedewerker"
    ),
    ORGANISATION: words(
        "kerngroep organisatie bedrijf instituut afdeling planning administratie management "
        "directie directeur directrice bestuur backoffice boekhouding secretariaat kantoor "
        "hoofdkantoor vestiging klantenservice servicedesk helpdesk receptie balie team "
        "opleidingsinstituut crediteurenadministratie debiteurenadministratie callcenter "
        "examenloket examencommissie commissie leiding staf personeel beleid facilitair "
        "examensecretariaat facilitaire"
    ),
    SYSTEM: words(
        "computer systeem software website webpagina webshop portaal portal applicatie "
        "programmatuur server netwerk internet verbinding wifi automatisering techniek "
        "technisch printer database platform leeromgeving telefooncentrale telefonie ict app "
        "site elo programma module koppeling laptop scanner kopieerapparaat beamer mail "
        "mailserver e-mail storing hapering foutmelding bug uitval crash update systeemfout "
        "inlogpagina omgeving tool formulier chatbot robot agenda cursusagenda bevestiging "
        "automatisch digitaal online link boekhoudpakket softwarepakket machine automaat "
        "scherm slagboom sms microfoon back-up backup verificatie pagina generator reader "
        "whiteboard apparatuur apparaat installatie"
    ),
    SUPPLIER: words(
        "leverancier fabrikant producent uitgever uitgeverij drukkerij drukker vervoerder "
        "transporteur koerier koeriersdienst bezorger bezorgdienst pakketdienst postbode post "
        "onderaannemer cateraar catering verhuurder importeur groothandel postnl dhl dpd gls "
        "examenbureau exameninstelling examencentrum examenorganisatie locatie "
        "congrescentrum hotel zaalverhuurder accommodatie partner bank betaalprovider "
        "softwareleverancier hostingpartij hostingbedrijf bureau uitzendbureau stichting "
        "distributeur beheerder ups maatschappij busmaatschappij taxibedrijf verhuurbedrijf "
        "schoonmaakbedrijf aannemer"
    ),
}
# ... and the heads that also end a compound ("roosterprogramma", "boekenleverancier").
_NL_HEADS = words(
    "medewerker medewerkster docent trainer collega planner coördinator begeleider "
    "administratie afdeling systeem software website server netwerk programma module "
    "applicatie printer computer verbinding portaal platform omgeving koppeling storing "
    "leverancier fabrikant uitgeverij drukkerij bezorger dienst vervoerder koerier centrum "
    "instelling bureau locatie verhuurder cateraar loket commissie formulier bot agenda "
    "center bevestiging mailing site app tool adviseur secretaris secretariaat machine "
    "automaat scherm pagina mail maatschappij bedrijf"
)

_EN_PARTY = {
    COLLEAGUE: words(
        "colleague staff employee trainer teacher tutor instructor coordinator secretary "
        "receptionist intern trainee manager supervisor mentor adviser advisor consultant "
        "planner scheduler examiner invigilator administrator assistant leader coach "
        "receptionist lecturer"
    ),
    ORGANISATION: words(
        "kerngroep organisation organization company institute department administration "
        "management office headquarters branch desk helpdesk team board accounts finance "
        "planning scheduling reception committee service"
    ),
    SYSTEM: words(
        "computer system software website webpage webshop portal application app program "
        "programme server network internet connection wifi it technology printer database "
        "platform environment tool module email e-mail laptop scanner projector outage glitch "
        "bug crash update technical page reader whiteboard screen device machine terminal "
        "microphone backup generator"
    ),
    SUPPLIER: words(
        "supplier manufacturer producer publisher printers printing vendor carrier courier "
        "post postnl dhl dpd ups postman delivery venue hotel caterer catering landlord "
        "partner bank provider contractor subcontractor agency body awarding centre center "
        "publishers suppliers couriers"
    ),
}
_EN_HEADS = words("system software server network website")
# English compounds are mostly two words ("exam centre", "course leader"): the head alone
# names the party, so it stands in the table above.

# Heads that are no party on their own ("dienst", "centrum"), only at the end of a compound.
_HEAD_ONLY = {
    "nl": {
        "dienst": SUPPLIER,
        "centrum": SUPPLIER,
        "instelling": SUPPLIER,
        "loket": ORGANISATION,
        "commissie": ORGANISATION,
        "center": ORGANISATION,
        "bot": SYSTEM,
        "agenda": SYSTEM,
        "bevestiging": SYSTEM,
        "mailing": SYSTEM,
        "bedrijf": SUPPLIER,  # "taxibedrijf", "schoonmaakbedrijf": another company
    },
    "en": {},
}
# Words that begin with a system's name are about that system ("softwarefout",
# "netwerkstoring", "printerstoring", "serverfout").
PARTY_PREFIXES = {
    "nl": (
        "software",
        "systeem",
        "computer",
        "netwerk",
        "server",
        "website",
        "printer",
        "internet",
        "wifi",
        "database",
    ),
    "en": (),
}
PARTY_WORDS = {"nl": _NL_PARTY, "en": _EN_PARTY}
PARTY_HEADS = {"nl": _NL_HEADS, "en": _EN_HEADS}
# In a fixed order, longest first, so a word ending in two heads always gets the same party.
_HEADS_LONGEST_FIRST = {
    lang: sorted(heads, key=lambda h: (-len(h), h)) for lang, heads in PARTY_HEADS.items()
}
_PARTY_OF = {
    lang: {word: party for party, words in table.items() for word in words}
    for lang, table in PARTY_WORDS.items()
}
# Words too short or too common to end a compound in their own right.
_MIN_COMPOUND = 3

# Cue classes: how blame is made. Keys are lower-case words or lemmas.
_NL_CUES = {
    "omit": "vergeten verzuimen nalaten verzaken negeren kwijtraken kwijtmaken zoekraken "
    "missen overslaan vergeetachtig",
    "wrong": "verkeerd onjuist foutief incorrect slordig onzorgvuldig nalatig onvolledig "
    "fout verwisselen vergissen vergissing misverstand blunder misser onachtzaam",
    "late": "laat vertraging vertragen vertraagd traag achterstand uitstel uitstellen uitblijven",
    "neg": "niet nooit geen nergens niets niemand",
    # Outcomes a customer suffers, whatever the verb ("zoekgeraakt", "ten onrechte").
    "bad": "verliezen verdwijnen wissen schrappen afbreken blokkeren verstoren onterecht "
    "onrechte ongeluk abusievelijk verouderd dupe versloffen kastje muur steken "
    "beloven belofte nakomen verwarren wegvallen ontbreken ontbrekend "
    "verantwoordelijk onduidelijk rommelig chaos chaotisch alweer weer opnieuw gedupeerd "
    "overlast teleurstellen tegenvallen",
    # Outcomes that help the customer: what a neutral report of work done is made of.
    "good": "regelen oplossen verhelpen zorgen helpen corrigeren herstellen crediteren "
    "terugbetalen klaarzetten bevestigen doorvoeren waarmerken bedanken tevreden "
    "enthousiast ervaren graag inmiddels compliment prettig welkom succes gelukt "
    "zorgvuldig aandacht",
    "pending": "nog pas gepland volgend straks binnenkort morgen verwachten zodra",
    "fail": "storing hapering haperen crashen vastlopen uitvallen plat eruit offline "
    "onbereikbaar weigeren kapot defect falen tekortschieten mislukken misgaan mislopen "
    "verprutsen verknoeien afweten steek foutmelding bug uitval overbelast traag",
    "cause": "door doordat vanwege wegens oorzaak gevolg wijten veroorzaken schuld toedoen "
    "dankzij liggen komen",
    "modal": "moeten behoren horen zullen",
    "self": "wij we ik ons onze mij mijzelf onszelf",
    "you": "u uw",
    "cond": "als indien mocht wanneer zodra tenzij",
    "sorry": "excuus excuses spijt verontschuldigen sorry betreuren",
    "helaas": "helaas jammer",
    "third": "hij zij ze hem haar hun zijn",
    "had": "had hadden",
}
_EN_CUES = {
    "omit": "forget forgot forgotten neglect fail omit overlook miss lose lost skip skipped "
    "ignore ignored overlooked neglected omitted missed misplace misplaced mislay mislaid",
    "wrong": "wrong wrongly incorrect incorrectly mistake error careless sloppy mix mistaken "
    "misunderstanding blunder misread misprint misprinted mislabel mislabelled misspell "
    "misspelt misspelled swap swapped mixed confuse typo inaccurate erroneous erroneously "
    "misinform misinformed miscalculate miscalculated incomplete",
    "late": "late delay delayed slow backlog postpone postponed overdue behind lag lagging belated",
    "neg": "not never no n't nobody nothing",
    "bad": "lose lost disappear delete deleted cancel cancelled wrongly mistakenly outdated "
    "promise promised drop dropped mess confusion confused mix-up sitting again "
    "responsible without wipe wiped damage damaged missing corrupt corrupted garbled chaos "
    "chaotic messy disappointing disappoint unacceptable annoying nuisance",
    "good": "arrange solve resolve fix fixed help correct corrected refund refunded confirm "
    "thank glad pleased experienced happy kindly already successfully careful",
    "pending": "yet still soon tomorrow next expect planned scheduled once",
    "fail": "outage glitch crash crashed down offline unavailable unreachable broken "
    "faulty failure fault malfunction bug broke freeze froze frozen freezing hang hung stall "
    "stalled glitchy stuck jam jammed reject rejected refuse refused crashing timeout overload "
    "overloaded unstable disconnect disconnected downtime goof goofed botch botched fumble "
    "fumbled",
    "cause": "because due cause caused result blame lie lies fault thanks",
    "modal": "should ought supposed",
    "self": "we i us our my myself ourselves",
    "you": "you your",
    "cond": "if should when unless whenever",
    "sorry": "sorry apologise apologize apology apologies regret",
    "helaas": "unfortunately regrettably",
    "third": "he she they him her them their his",
    "had": "had",
}
CUE_CLASS = {
    lang: {word: cls for cls, spaced in table.items() for word in spaced.split()}
    for lang, table in (("nl", _NL_CUES), ("en", _EN_CUES))
}

# Titles before a name make it the customer's (or someone else's) name, not a colleague's.
TITLES = {
    "nl": words("mevrouw meneer heer mw mevr dhr de van der den ter ten"),
    "en": words("mr mrs ms miss dr sir madam"),
}
# Given names that are also ordinary words (or that the lemmatiser knows): as a sentence's
# first word they are still a name ("Mark heeft …", "Linda forgot …").
GIVEN_NAMES = words(
    "mark bas kim eva daan linda ahmed fatima anna tom sophie lisa fleur john mary rob "
    "roos iris jade lotte emma noah sem luuk finn max mila nina sara sarah david peter "
    "paul ben sam tim kees jan joost wim ria els ineke karin monique sandra mohamed "
    "mohammed youssef ali mustafa ayse elif mehmet emre hatice ibrahim fatma kevin dennis "
    "patrick michael thomas robert martin esther hanna hannah laura julia maria rosa "
    "mila noor bram rik erik henk gerrit harm frank hans eric james george emily olivia"
)
# Capitalised words that are not names of people.
# Words that start a clause with a capital after a colon or a quote ("Let op: De …").
_CLAUSE_STARTS = {
    "nl": "de het een dit dat deze die dan daar er hier zo ook maar en of want omdat als toen "
    "wanneer nu wel niet geen alle elke wie wat waar hoe welke helaas graag",
    "en": "the a an this that these those there here so also but and or because if when now "
    "not no all every who what where how which unfortunately please",
}
NOT_NAMES = {
    "nl": words(
        _CLAUSE_STARTS["nl"]
        + " "
        + "u uw kerngroep ik wij we maandag dinsdag woensdag donderdag vrijdag zaterdag zondag "
        "januari februari maart april mei juni juli augustus september oktober november "
        "december nederland nederlands engels excel word outlook teams zoom geachte beste "
        "hallo met vriendelijke hartelijke groet groeten betreft kenmerk onderwerp bijlage mevrouw "
        "meneer heer mw mevr dhr"
    ),
    "en": words(
        _CLAUSE_STARTS["en"] + " "
        "i we you monday tuesday wednesday thursday friday saturday sunday january february "
        "march april may june july august september october november december dutch english "
        "excel word outlook teams zoom kerngroep dear hi hello kind best regards yours "
        "subject attachment reference mr mrs ms miss dr sir madam"
    ),
}


def party_of(word: str, lemma: str, lang: str) -> str | None:
    """R12: the party ``word`` (lower case) or its ``lemma`` names, compounds included."""
    table = _PARTY_OF[lang]
    party = table.get(word) or table.get(lemma)
    if party is not None:
        return party
    for head in _HEADS_LONGEST_FIRST[lang]:
        if len(word) - len(head) >= _MIN_COMPOUND and (word.endswith(head) or lemma.endswith(head)):
            return _HEAD_ONLY[lang].get(head) or table[head]
    for prefix in PARTY_PREFIXES[lang]:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_COMPOUND:
            return SYSTEM
    return None
