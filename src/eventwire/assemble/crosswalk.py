"""Crosswalks from PLOVER (type, mode) to ACLED and CAMEO, read from reviewed data files.

The ACLED default for a (type, mode) pair comes from data/events/acled_crosswalk.tsv; a few
refinements depend on the event's participants and toll and are keyed by name in the same
file (``*`` rows): an attack on civilians is "Violence against civilians / Attack", police
force against a demonstration is "Protests / Protest with intervention" (or "Excessive force
against protesters" when it kills), and so on.
"""
from __future__ import annotations

from dataclasses import dataclass

from eventwire.data import read_tsv, word_class

__all__ = ["Crosswalk", "AcledCode"]

DEFAULT_CAMEO_ROOT = {
    "AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "CONCEDE": "08", "COOPERATE": "06", "AID": "07",
    "RETREAT": "08", "REQUEST": "10", "ACCUSE": "11", "REJECT": "12", "SANCTION": "16", "THREATEN": "13",
    "PROTEST": "14", "MOBILIZE": "15", "COERCE": "17", "ASSAULT": "18",
}
SPECIFIC_MODES = {"abduct", "sexual", "suicide-attack", "unconventional"}
ARMED_SECTORS = word_class("sectors_armed")
MOB_WORDS = {"mob", "crowd", "villager", "vigilante", "lynch"}
RIOTER_WORDS = word_class("protester_lemmas")
RECIPROCAL = {"clash", "battle", "fight", "gunbattle", "firefight", "skirmish", "exchange", "fighting"}
CIVILIAN_SECTORS = word_class("sectors_civilian")


@dataclass(frozen=True)
class AcledCode:
    event_type: str | None
    sub_event_type: str | None
    disorder_type: str | None


class Crosswalk:
    def __init__(self) -> None:
        self.refinements = [(row["key"], set(row["triggers"].split("|")), {w for w in row["objects"].split("|") if w})
                            for row in read_tsv("events", "acled_refinements.tsv")]
        self.table: dict[tuple[str, str], AcledCode] = {}
        for row in read_tsv("events", "acled_crosswalk.tsv"):
            code = AcledCode(row["acled_event_type"] or None, row["acled_sub_event_type"] or None,
                             row["disorder_type"] or None)
            self.table[(row["event_type"], row["mode"] or "")] = code

    def by_sub_type(self, sub_event_type: str | None) -> AcledCode:
        """The ACLED event type and disorder type of a sub-event type (the crosswalk's own rows)."""
        if sub_event_type is None:
            return AcledCode(None, None, None)
        for code in self.table.values():
            if code.sub_event_type == sub_event_type:
                return code
        raise KeyError(f"unknown ACLED sub-event type {sub_event_type!r}")

    def mode_for(self, event_type: str, sub_event_type: str | None) -> str | None:
        """The PLOVER mode that the crosswalk pairs with this type and ACLED sub-type, if one does."""
        for (kind, mode), code in self.table.items():
            if kind == event_type and mode and code.sub_event_type == sub_event_type:
                return mode
        return None

    def cameo(self, event_type: str, cameo_code: str | None) -> tuple[str | None, str]:
        """(full CAMEO code, root) for an event; the root falls back to the type's default."""
        if cameo_code:
            code = cameo_code.zfill(2) if len(cameo_code) < 2 else cameo_code
            return code, code[:2]
        root = DEFAULT_CAMEO_ROOT[event_type]
        return root, root

    def refinement(self, trigger_lemmas: set[str], object_words: set[str], actor_sectors: set[str]) -> str | None:
        """The key of the first refinement rule (data/events/acled_refinements.tsv) that applies."""
        words = object_words | {w.rstrip("s") for w in object_words}
        for key, triggers, objects in self.refinements:
            if trigger_lemmas & triggers and (not objects or words & objects):
                if key == "territory-gain":
                    return "territory-gain-gov" if actor_sectors & {"MIL", "GOV", "COP"} else "territory-gain-nonstate"
                return key
        return None

    def acled(self, event_type: str, mode: str | None, recipient_sectors: set[str],
              actor_sectors: set[str], killed: int | None, protest_in_article: bool,
              trigger_lemmas: set[str] = frozenset(), object_words: set[str] = frozenset(),
              actor_words: set[str] = frozenset(), protest_nearby: bool = False) -> AcledCode:
        """The ACLED (event type, sub-event type, disorder type) for a coded event.

        Beyond the data rules: violence by a mob or crowd is mob violence; by protesters or rioters a
        violent demonstration; police or soldiers' force where people protest is an intervention (or
        excessive force when they shoot or kill); arrests at a protest are an intervention; a clash or
        battle between armed sides is an armed clash.
        """
        refine = None
        if event_type in ("ASSAULT", "COERCE", "MOBILIZE", "PROTEST", "SUPPORT", "AGREE") and mode not in SPECIFIC_MODES:
            refine = self.refinement(set(trigger_lemmas), set(object_words), actor_sectors)
        lemmas = {w for lemma in trigger_lemmas for w in lemma.split()}
        if refine:
            pass
        elif event_type == "ASSAULT" and actor_words & MOB_WORDS and mode not in SPECIFIC_MODES:
            refine = "mob"
        elif event_type == "ASSAULT" and actor_words & RIOTER_WORDS and not actor_sectors & ARMED_SECTORS \
                and mode not in SPECIFIC_MODES:
            return self.table[("PROTEST", "riot")]
        elif event_type == "ASSAULT" and actor_sectors & {"COP", "MIL"} and protest_nearby \
                and mode in (None, "firearms", "crowd-control", "beat", "primitive", "targeted"):
            refine = "excessive-force" if (killed or 0) > 0 or mode == "firearms" else "protest-intervention"
        elif event_type == "COERCE" and mode == "arrest" and protest_nearby:
            refine = "protest-intervention"
        elif event_type == "ASSAULT" and mode in (None, "firearms") and not recipient_sectors & CIVILIAN_SECTORS \
                and (lemmas & RECIPROCAL or actor_sectors & ARMED_SECTORS and recipient_sectors & ARMED_SECTORS):
            refine = "armed-clash"  # both sides armed: "security forces killed two Maoists in an encounter"
        elif event_type == "ASSAULT" and mode == "crowd-control":
            refine = "excessive-force" if (killed or 0) > 0 else "protest-intervention"  # ACLED: lethal force
        elif event_type == "ASSAULT" and mode in (None, "firearms", "beat", "primitive", "targeted", "torture"):
            if recipient_sectors & CIVILIAN_SECTORS and not recipient_sectors & ARMED_SECTORS:
                refine = "civilian-target"
        elif event_type == "PROTEST" and mode in (None, "demo", "strike", "obstruct", "boycott", "hunger") \
                and protest_in_article:
            refine = "protest-intervention"
        elif event_type == "PROTEST" and mode == "riot" and not actor_sectors & {"CVL", "OPP", "LAB", "EDU"} \
                and recipient_sectors & CIVILIAN_SECTORS:
            refine = "mob"
        if refine and ("*", refine) in self.table:
            return self.table[("*", refine)]
        return self.table.get((event_type, mode or "")) or self.table.get((event_type, "")) or AcledCode(None, None, None)
