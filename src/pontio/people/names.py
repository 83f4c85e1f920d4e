"""Given-name variant table: nicknames and Welsh/English equivalents.

Each group lists names that officers and partners use for the same person. The first
entry is the group's canonical form. A name may sit in more than one group (``Ieuan`` is
a Welsh form of both John and Evan; ``Sam`` is short for Samuel and Samantha); such a name
then matches every group it belongs to, but the two groups do not match each other through
it (John does not match Evan).

Entries are written already normalised (lower case, no accents; see
``matching.normalise_name``). This is reference data, not user-facing text.
"""

from __future__ import annotations

# fmt: off
GIVEN_NAME_GROUPS: tuple[tuple[str, ...], ...] = (
    # Welsh / English pairs, with their usual short forms.
    ("david", "dafydd", "dai", "dave", "davey", "davy", "dewi", "deio", "dafi"),
    # Welsh full forms heading their own short forms, so that Dai is a direct form of
    # Dafydd as well as of David.
    ("dafydd", "dai", "deio", "dafi", "dewi"),
    ("jane", "sian", "shan", "sioned", "janet", "janey"),
    ("llywelyn", "llewellyn", "llewelyn", "llywellyn", "lewellyn", "llew", "lyn", "llyr"),
    ("rhys", "rees", "reece", "reese", "rhisiart"),
    ("william", "gwilym", "bill", "billy", "will", "willie", "willy", "wil", "liam"),
    ("john", "ioan", "ieuan", "sion", "jon", "johnny", "johnnie", "jack", "jac", "jonno"),
    ("sean", "shaun", "shawn", "sion"),
    ("ian", "iain", "ion"),
    ("evan", "ifan", "iwan", "ieuan", "ianto"),
    ("hugh", "huw", "hughie", "hugo"),
    ("owen", "owain", "owin", "ywain"),
    ("griffith", "gruffudd", "gruffydd", "griff", "guto", "gutyn", "griffin"),
    ("ellis", "elis", "elise", "eliseus"),
    ("catherine", "catrin", "cathryn", "catharine", "kate", "cath", "cathy", "cat", "kath",
     "kathy", "katie", "caty", "kitty"),
    ("katherine", "kathryn", "kathrine", "katharine", "kate", "kath", "kathy", "katie",
     "kay", "kitty", "catherine", "catrin"),
    ("margaret", "megan", "meg", "maggie", "mags", "peggy", "peg", "marged", "mared",
     "margiad", "maisie", "greta", "rita"),
    ("mary", "mair", "mari", "maria", "marie", "molly", "polly", "mae"),
    ("thomas", "tomos", "tom", "tommy", "twm", "tomi"),
    ("robert", "robat", "rob", "robbie", "bob", "bobby", "bert", "robin"),
    ("elizabeth", "elisabeth", "liz", "lizzie", "lizzy", "beth", "betty", "bethan", "bet",
     "betsy", "lisa", "libby", "eliza", "bess", "elsie", "leisa", "lisbeth"),
    ("michael", "mihangel", "mike", "mick", "micky", "mickey", "mikey", "mitch"),
    ("richard", "rhisiart", "rich", "richie", "rick", "ricky", "dick", "dicky", "dic"),
    ("anthony", "antony", "tony", "ant", "anton"),
    ("christopher", "chris", "kit", "christy", "topher"),
    ("christine", "christina", "chris", "chrissie", "tina", "kirsty", "kirstie"),
    ("stephen", "steven", "steffan", "stephan", "steve", "stevie", "steff"),
    ("jonathan", "jon", "jonny", "jonathon", "johnathan", "jonty"),
    ("rebecca", "rebekah", "becky", "becca", "bekki", "beca"),
    ("samantha", "sam", "sammy", "sammie"),
    ("samuel", "sam", "sammy", "sami"),
    ("daniel", "dan", "danny", "dani", "deiniol"),
    ("matthew", "mathew", "matt", "matty", "mathau"),
    ("joseph", "joe", "joey", "jo", "joss", "iosef"),
    ("josephine", "jo", "josie", "jose"),
    ("jennifer", "jen", "jenny", "jenni", "jenna"),
    ("alexander", "alex", "alec", "sandy", "xander", "alecsander"),
    ("alexandra", "alex", "alexa", "lexi", "sandra", "sandy"),
    ("nicholas", "nick", "nicky", "nico", "niclas"),
    ("nicola", "nicole", "nikki", "nicky", "nic"),
    ("andrew", "andy", "drew", "andreas", "andras"),
    ("aneurin", "nye", "nye"),
    ("james", "jim", "jimmy", "jamie", "iago", "jimbo"),
    ("peter", "pete", "pedr"),
    ("paul", "pawl"),
    ("mark", "marc", "marcus"),
    ("edward", "iorwerth", "ed", "eddie", "eddy", "ned", "ted", "teddy", "ednyfed"),
    ("henry", "harry", "hal", "hari", "harri", "henri"),
    ("charles", "charlie", "chas", "chaz", "chuck"),
    ("benjamin", "ben", "benny", "benji"),
    ("joshua", "josh"),
    ("gareth", "gaz", "gar", "garth"),
    ("gary", "garry", "gaz"),
    ("kenneth", "ken", "kenny", "cenydd"),
    ("gwenllian", "gwen", "gwennie"),
    ("gwyneth", "gwen", "gwyn"),
    ("gwendoline", "gwendolen", "gwen", "wendy"),
    ("anne", "ann", "annie", "anna", "nan", "nancy", "nansi", "ane"),
    ("helen", "helena", "elen", "elin", "ellen", "ellie", "nell", "nellie"),
    ("eleanor", "elinor", "eleanora", "ellie", "nell", "nora"),
    ("susan", "susanna", "suzanne", "sue", "susie", "suzy", "siwsan"),
    ("deborah", "debra", "debbie", "debs", "deb"),
    ("patricia", "pat", "patsy", "trish", "tricia", "patty"),
    ("patrick", "pat", "paddy", "padraig"),
    ("victoria", "vicky", "vicki", "tori", "vic"),
    ("jessica", "jess", "jessie"),
    ("charlotte", "charlie", "lottie", "lotte"),
    ("abigail", "abbie", "abby", "gail"),
    ("frances", "fran", "frankie", "fanny"),
    ("francis", "frank", "frankie", "ffransis"),
    ("timothy", "tim", "timmy"),
    ("gregory", "greg"),
    ("philip", "phillip", "phil", "pip", "philyp"),
    ("raymond", "ray"),
    ("ronald", "ron", "ronnie"),
    ("donald", "don", "donnie"),
    ("leonard", "len", "lenny", "leo"),
    ("terence", "terrence", "terry", "tel"),
    ("gerald", "gerry", "jerry", "gerallt"),
    ("geoffrey", "jeffrey", "geoff", "jeff", "sieffre"),
    ("martin", "marty", "martyn", "mart"),
    ("kieran", "ciaran", "kieron", "kiran"),
    ("callum", "calum", "cal"),
    ("bethany", "beth", "bethan"),
    ("emma", "em", "emmy"),
    ("emily", "em", "emmy", "milly", "emilia"),
    ("caroline", "carol", "carole", "caz", "carolyn"),
    ("jacqueline", "jackie", "jacqui", "jacky"),
    ("lewis", "louis", "lew", "lewys", "llywelyn"),
    ("morgan", "mo", "morgen"),
    ("dylan", "dyl"),
    ("rhodri", "rhod", "roddy", "roderick"),
    ("rhiannon", "rhi", "rianne"),
    ("rhian", "rhi"),
    ("angharad", "anghy"),
    ("ffion", "fion", "ffi"),
    ("cerys", "ceri", "kerris", "ceris"),
    ("eleri", "ellie"),
    ("lowri", "lowry", "laura", "lori"),
    ("siobhan", "shiv", "chevonne"),
    ("sarah", "sara", "sal", "sally", "sadie", "sera"),
    ("hywel", "howell", "howel", "hywyn", "howie"),
    ("emrys", "ambrose"),
    ("ifor", "ivor", "ivo"),
    ("idris", "id"),
    ("emyr", "emir"),
    ("aled", "al"),
    ("gethin", "geth", "gethyn"),
    ("osian", "osh"),
    ("tegan", "teagan", "tegen"),
    ("iestyn", "justin", "iestin", "jestyn"),
    ("gwyn", "gwynn", "wyn", "wynne", "gwynne"),
    ("dilys", "dil", "dilly"),
    ("glenys", "glenis", "glen", "glenda"),
    ("kevin", "kev"),
    ("lee", "leigh"),
    ("ryan", "rhyan"),
    ("vaughan", "vaughn", "fychan"),
    ("zachary", "zach", "zack", "zak"),
    ("nathan", "nathaniel", "nate", "nat"),
    ("natalie", "nat", "natasha", "tasha"),
    ("amanda", "mandy", "manda"),
    ("dorothy", "dot", "dotty", "dora", "dolly"),
    ("lynne", "lyn", "lynn"),
)
# fmt: on


def _build_index(groups: tuple[tuple[str, ...], ...]) -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for group in groups:
        head = group[0]
        for name in group:
            index.setdefault(name, set()).add(head)
    return {name: frozenset(heads) for name, heads in index.items()}


#: name -> the canonical heads of every group that contains it.
GIVEN_NAME_INDEX: dict[str, frozenset[str]] = _build_index(GIVEN_NAME_GROUPS)


# Family names recorded in a Welsh or an English form (Fychan/Vaughan, Llwyd/Lloyd), or with
# a spelling officers commonly interchange. Same format as the given names: the first entry is
# the group's canonical form. Written without spaces (ap Rhys -> aprhys).
# fmt: off
FAMILY_NAME_GROUPS: tuple[tuple[str, ...], ...] = (
    ("vaughan", "fychan", "vaughn"),
    ("lloyd", "llwyd", "loyd"),
    ("griffiths", "griffith", "gruffudd", "gruffydd", "gruffydds"),
    ("price", "aprhys", "prys", "preece", "pryce"),
    ("pritchard", "aprichard", "prichard"),
    ("powell", "aphywel", "powel"),
    ("bowen", "apowen"),
    ("parry", "apharry"),
    ("pugh", "aphugh", "pughe"),
    ("probert", "aprobert"),
    ("bevan", "apevan", "bevin"),
    ("gwyn", "gwynne", "wyn", "wynne", "gwynn"),
    ("davies", "davis", "dafis"),
    ("rees", "rhys", "reece", "rice"),
    ("howells", "howell", "hywel"),
)
# fmt: on

#: family name (normalised, without spaces) -> the canonical heads of its groups.
FAMILY_NAME_INDEX: dict[str, frozenset[str]] = _build_index(FAMILY_NAME_GROUPS)
