"""Whether a new statement says what an existing one already says. Pure: no Django, so tested in milliseconds.

Cautious by design: a statement wrongly refused as a duplicate is lost, while a duplicate let in can be hidden by
the facilitator. So a pair counts as the same only when every difference is one the rule knows to be harmless:
a typo, a filler word, a spelling (aa/å), a preposition used either way (i/på), a word moved a place or two, or
an adverbial put first as Danish does ("Om aftenen er der ..." / "Der er ... om aftenen"). Anything else (a
negation, a number, another word in the same place, a word added, the same words in another order that changes
who does what) makes a new statement.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from functools import lru_cache

NEAR_DUPLICATE_RATIO = 0.88


def normalise(text: str) -> str:
    """Lower case, words only. Thousands written with a point or a space are one number ("1.000" and "1 000"
    are "1000"); a decimal comma is not joined ("1,5" stays two numbers, never "15"). Kept with each statement
    (`Statement.normalised`); the spelling and word rules below are applied only when comparing."""
    text = re.sub(r"(?<=\d)[. ](?=\d{3}(?!\d))", "", text.lower())
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


# Words that turn a statement into its opposite: adding or removing one makes a new statement, however
# similar the letters ("Der mangler voksne" against "Der mangler ikke voksne"). English contractions are
# spelt out first (`CONTRACTIONS`), so "can't", "cant", "cannot" and "can not" all say "can not".
NEGATIONS = frozenset({"ikke", "ingen", "intet", "ingenting", "aldrig", "hverken", "næppe", "uden", "ej"}) | frozenset(
    {"not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "without"}
)
# "cant", "dont", "wont" ... (and "can t" from "can't", which `_words` joins first) spelt out.
CONTRACTIONS = {
    f"{stem}nt": (full, "not")
    for stem, full in {
        "ca": "can", "do": "do", "does": "does", "did": "did", "wo": "will", "is": "is", "are": "are",
        "was": "was", "were": "were", "could": "could", "should": "should", "would": "would", "have": "have",
        "has": "has", "had": "had", "ai": "is", "must": "must", "need": "need",
    }.items()
} | {"cannot": ("can", "not")}  # fmt: skip
# The tokens that may be part of a contraction: most statements have none, and skip spelling them out.
CONTRACTED = frozenset(CONTRACTIONS) | {"t"}
# Words whose reach a negation moved past changes: "Ikke alle kan lide den" is not "Alle kan ikke lide den".
QUANTIFIERS = frozenset(
    {"alle", "alt", "mange", "fleste", "nogle", "få", "hver", "hvert", "altid", "ofte", "tit", "sjældent"}
    | {"all", "every", "everyone", "everybody", "everything", "many", "most", "some", "few", "each", "always"}
    | {"often", "rarely"}
)
# Words whose reach depends on where they stand: moved, they say something else ("Kun de unge mangler et sted"
# against "De unge mangler kun et sted").
FOCUS_WORDS = frozenset({"kun", "også", "især", "selv", "netop", "only", "also", "even"})
# Words whose place decides what they reach: a phrase holding one is not moved past another.
SCOPED = NEGATIONS | QUANTIFIERS | FOCUS_WORDS
# Words that may be added or left out without changing what a statement says: fillers, intensifiers, articles,
# and the conjunctions Danish may leave out ("voksne, som de stoler på" / "voksne, de stoler på"; "jeg synes, at
# ..." / "jeg synes ..."). Any other word added or left out ("kun", "også", "alle", "nu") makes a new statement.
# Not here, as they also carry meaning: "rigtig(t)" (correct), "nok" (enough), "lige" (equal), "så" (so that).
FILLERS = frozenset(
    {"altså", "jo", "bare", "vel", "egentlig", "faktisk", "simpelthen", "virkelig", "helt", "meget", "en", "et"}
    | {"nemlig", "sgu", "utrolig", "utroligt", "ekstremt", "enormt"}
    | {"som", "at"}
    | {"really", "just", "actually", "simply", "quite", "very", "the", "a", "an", "that"}
)
# Forms of one word that say the same in a statement: "Hallen bør være åben" and "Hallen burde være åben".
SAME_WORD = {"burde": "bør", "ought": "should"}
# "alt for få" is "for få" ("altfor" likewise), but "alt for de unge" is everything for them.
TOO = "for"
NOT_AFTER_TOO = frozenset({"de", "den", "det", "dem", "en", "et", "at", "os", "jer", "mig", "dig", "sig", "ham"}) | {
    "hende", "vores", "jeres", "deres", "hans", "hendes", "sin", "sit", "sine", "min", "mit", "mine", "din", "dit",
    "dine", "alle", "andre",
}  # fmt: skip
# "i gaderne" and "på gaderne" say the same before a noun in its definite form, except in set phrases where the
# preposition carries the meaning ("i stedet"/"på stedet", "i øjeblikket"/"på øjeblikket", "i vejen"/"på vejen").
DEFINITE_ENDINGS = ("en", "et", "ne")
I_OR_PÅ_IDIOMS = frozenset(
    {"stedet", "øjeblikket", "vejen", "tiden", "hovedet", "hånden", "nettet", "grunden", "længden", "sagen"}
)
# Words that open an adverbial Danish may put first, turning the subject and verb around ("Om aftenen er der for
# få voksne" / "Der er for få voksne om aftenen"): prepositions and the conjunctions of a clause put first ("Når
# det bliver mørkt, er der ..."). Put first, a phrase keeps its role, as its preposition marks it; a bare noun
# does not ("Ældre hjælper unge" is not "Unge hjælper ældre"), so it is never moved.
ADVERBIAL_OPENERS = frozenset(
    {"i", "på", "om", "til", "ved", "efter", "før", "inden", "under", "over", "hos", "fra", "med", "mod", "uden"}
    | {"blandt", "mellem", "gennem", "igennem", "siden", "omkring", "for", "bag", "foran", "udenfor", "indenfor"}
    | {"når", "hvis", "fordi", "selvom", "mens", "da"}
    | {"in", "on", "after", "before", "during", "when", "if", "because", "while", "since"}
)
# Single words that may be put first: adverbs of time and place ("Nu er der for få voksne" / "Der er for få
# voksne nu"). Not negations, quantifiers or focus words ("Også de unge ..." / "De unge ... også").
ADVERBS_PUT_FIRST = frozenset({"nu", "her", "derfor", "dér", "snart", "stadig", "today", "now", "here"})
# The longest adverbial moved: "når klubben lukker om aftenen" and the like.
LONGEST_ADVERBIAL = 8
# Numbers written as words are numbers: never a typo of one another ("ti"/"to", "ni"/"ti", "fire"/"fem").
# fmt: off
NUMBER_WORDS = frozenset({
    "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve", "tolv", "tretten", "fjorten", "femten",
    "seksten", "sytten", "atten", "nitten", "tyve", "tredive", "fyrre", "halvtreds", "tres", "halvfjerds", "firs",
    "halvfems", "hundrede", "tusind", "million", "millioner", "halv", "halvanden",
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty",
    "thirty", "forty", "fifty", "hundred", "thousand", "half",
})
# fmt: on
# A word with one of these in front is its opposite, however alike the letters ("tryg"/"utryg",
# "trives"/"vantrives", "safe"/"unsafe").
OPPOSITE_PREFIXES = ("u", "van", "mis", "un", "in", "im", "ir", "il", "dis", "non")
# What a word may gain at its end and stay the same word, inflected ("unge"/"ungen", "voksen"/"voksne" is a swap):
# "politi" and "politik" are two words.
INFLECTIONS = frozenset({"e", "r", "n", "t", "s", "en", "er", "et", "ne", "re", "es", "ns", "ed", "d"}) | frozenset(
    {"ens", "ers", "ets", "nes", "ere", "erne", "ernes", "est", "este", "ste"}
)
# A word moved at most this many places is the same statement in another word order ("kan ikke"/"ikke kan");
# moved further, it may belong to another clause.
LOCAL_MOVE = 2
# Written on a keyboard without æ, ø and å: "faa", "paedagog", "groen".
DANISH_LETTERS = (("aa", "å"), ("ae", "æ"), ("oe", "ø"))


def says_the_same(wanted: str, existing: str) -> bool:
    """Whether two normalised statements (`normalise`) say the same.

    They do when, once filler words are dropped, "alt for" read as "for", "på" before a definite noun as "i", and
    "aa", "ae", "oe" as "å", "æ", "ø" in a statement written without those letters, they have at least 88 % of
    their letters in common and differ only by typos, a compound written in two words, one word moved a place or
    two, or an adverbial put first ("Om aftenen er der for få voksne i gaderne"). Never when a negation is added or
    removed, moves to another clause or past a quantifier; nor for another number, another word in the same place
    or a word added or left out; nor when the same words stand in another order beyond that ("Unge hjælper ældre"
    is not "Ældre hjælper unge")."""
    if wanted == existing:
        return True
    ours, theirs = _compared(wanted), _compared(existing)
    if not ours or not theirs:
        return False  # nothing but filler words ("altså jo bare") says nothing to compare
    if ours == theirs:
        return True
    # Cheap upper bounds first: lengths, then letters in common whatever their order. Both hold for any way of
    # lining the words up, so only likely matches are looked at word by word.
    total = len(ours) + len(theirs)
    if 2 * min(len(ours), len(theirs)) < NEAR_DUPLICATE_RATIO * total:
        return False
    our_letters, their_letters = _letters(ours), _letters(theirs)
    if (
        2 * sum(min(count, their_letters[letter]) for letter, count in our_letters.items())
        < NEAR_DUPLICATE_RATIO * total
    ):
        return False
    our_words, their_words = tuple(ours.split()), tuple(theirs.split())
    if Counter(w for w in our_words if w in NEGATIONS) != Counter(w for w in their_words if w in NEGATIONS):
        return False  # a negation added or removed
    if _aligned(our_words, their_words):
        return True
    return _same_with_an_adverbial_put_first(our_words, their_words) or _same_with_an_adverbial_put_first(
        their_words, our_words
    )


# A conversation's statements are compared with every new one: each is read once per process, not once per check.
@lru_cache(maxsize=20_000)
def _compared(normalised: str) -> str:
    """The words compared, joined by spaces: contractions spelt out ("don t", "dont" → "do not"), Danish letters
    for their two-letter spellings, "alt for" as "for", "på" as "i" before a definite noun, fillers left out."""
    words = normalised.split()
    if not CONTRACTED.isdisjoint(words):
        words = _spelt_out(words)
    if not any(letter in normalised for letter in "æøå"):
        joined = " ".join(words)
        for spelt, letter in DANISH_LETTERS:
            joined = joined.replace(spelt, letter)
        words = joined.split()
    if "på" in words or "alt" in words or "altfor" in words:
        words = _prepositions_and_too(words)
    return " ".join([SAME_WORD.get(word, word) for word in words if word not in FILLERS])


@lru_cache(maxsize=20_000)
def _letters(compared: str) -> Counter[str]:
    return Counter(compared)


def _spelt_out(tokens: list[str]) -> list[str]:
    words: list[str] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens) and tokens[i + 1] == "t" and tokens[i] + "t" in CONTRACTIONS:
            words += CONTRACTIONS[tokens[i] + "t"]
            i += 2
            continue
        words += CONTRACTIONS.get(tokens[i], (tokens[i],))
        i += 1
    return words


def _prepositions_and_too(words: list[str]) -> list[str]:
    read: list[str] = []
    for i, word in enumerate(words):
        after = words[i + 1 : i + 3]
        if word == "altfor":
            word = TOO
        elif word == "alt" and len(after) == 2 and after[0] == TOO and after[1] not in NOT_AFTER_TOO:
            continue  # "alt for få" says "for få"
        elif word == "på" and after and after[0].endswith(DEFINITE_ENDINGS) and after[0] not in I_OR_PÅ_IDIOMS:
            word = "i"
        read.append(word)
    return read


def _aligned(ours: tuple[str, ...], theirs: tuple[str, ...]) -> bool:
    """Whether two word sequences (`_words`) differ only by typos, a compound in two words, and at most one word
    moved a place or two ("kan ikke"/"ikke kan"). Two words moved could trade places ("Unge hjælper ældre" /
    "Ældre hjælper unge"); a negation moved past a quantifier, or any word moved past a focus word ("kun voksne"
    / "voksne kun"), changes what is said."""
    left_out: list[tuple[str, int]] = []
    added: list[tuple[str, int]] = []
    moves = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ours, theirs, autojunk=False).get_opcodes():
        mine, other = ours[i1:i2], theirs[j1:j2]
        if tag == "equal":
            continue
        if tag == "delete" or tag == "insert":
            left_out += [(word, i1 + k) for k, word in enumerate(mine)]
            added += [(word, j1 + k) for k, word in enumerate(other)]
        elif len(mine) <= LOCAL_MOVE + 1 and other in (mine[1:] + mine[:1], mine[-1:] + mine[:-1]):
            if _moves_a_negation_past_a_quantifier(mine) or any(w in FOCUS_WORDS for w in mine):
                return False
            moves += 1  # one word moved in place: "kan ikke" / "ikke kan"
        elif "".join(mine) == "".join(other) and not any(c.isdigit() for c in "".join(mine)):
            continue  # "fodboldbane" against "fodbold bane"; never numbers ("1 5" is not "15": `normalise`)
        elif len(mine) != len(other) or not all(a == b or _misspelt(a, b) for a, b in zip(mine, other, strict=True)):
            return False
    # What is left out in one place and added in another must be the same word moved a place or two, past no
    # focus word, and a negation must not move past a quantifier.
    for word, place in left_out:
        moved = next((m for m in added if m[0] == word and abs(m[1] - place) <= LOCAL_MOVE), None)
        if moved is None:
            return False
        passed = ours[min(place, moved[1]) : max(place, moved[1]) + 1]
        if any(w in FOCUS_WORDS for w in passed) or _moves_a_negation_past_a_quantifier(passed):
            return False
        added.remove(moved)
        moves += 1
    return not added and moves <= 1


def _same_with_an_adverbial_put_first(first: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Whether `first` opens with an adverbial that `other` has further on, and the two say the same once it is
    put back there ("Om aftenen er der for få voksne" / "Der er for få voksne om aftenen"; the subject and verb
    turned around are a word moved a place or two). A negation and a quantifier never trade places this way ("I
    alle klubber er der ikke voksne" is not "Der er ikke voksne i alle klubber")."""
    if not first or (first[0] not in ADVERBIAL_OPENERS and first[0] not in ADVERBS_PUT_FIRST):
        return False
    # An adverb alone, or a preposition or conjunction with what it governs (never alone).
    sizes = range(1, 2) if first[0] in ADVERBS_PUT_FIRST else range(2, min(LONGEST_ADVERBIAL, len(first) - 1) + 1)
    for size in sizes:
        adverbial = first[:size]
        for place in range(1, len(other) - size + 1):
            if other[place : place + size] != adverbial:
                continue
            rest = other[:place] + other[place + size :]
            if any(w in SCOPED for w in adverbial) and any(w in SCOPED for w in rest):
                continue  # moved, it would change what the negation, quantifier or focus word reaches
            if _aligned(first[size:], rest):
                return True
    return False


def _edits(a: str, b: str) -> int:
    """Letters inserted, deleted, replaced or swapped with a neighbour to turn a into b (optimal string
    alignment distance)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def _misspelt(a: str, b: str) -> bool:
    """Whether two different words are one word misspelt or inflected. Cautious: a statement wrongly refused
    as a duplicate is worse than a duplicate let in, which the facilitator can hide.

    One letter off (two in a word of more than eight), never in the first two letters, where the opposites
    differ ("indendørs"/"udendørs", "increase"/"decrease", "hyre"/"fyre", "med"/"mod"); a word that only grows
    at its end must grow by an inflection ("politi"/"politik" are two words); never a number, in digits or in
    words; never a word and its opposite ("tryg"/"utryg")."""
    if any(c.isdigit() for c in a + b) or a in NUMBER_WORDS or b in NUMBER_WORDS:
        return False
    if any(a == prefix + b or b == prefix + a for prefix in OPPOSITE_PREFIXES):
        return False
    if a[:2] != b[:2]:
        return False
    shorter, longer = sorted((a, b), key=len)
    if longer.startswith(shorter):
        return longer[len(shorter) :] in INFLECTIONS
    return _edits(a, b) <= (2 if len(shorter) > 8 else 1)


def _moves_a_negation_past_a_quantifier(words: list[str] | tuple[str, ...]) -> bool:
    return any(w in NEGATIONS for w in words) and any(w in QUANTIFIERS for w in words)
