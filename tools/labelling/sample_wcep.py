"""Draw the stratified WCEP sample for labelling (deterministic: same file, same seed, same sample).

Usage: python tools/labelling/sample_wcep.py [--wcep ../shared/train/wcep/wcep_sentences.jsonl]
Writes labels/wcep/sample.jsonl ({"id", "stratum", "batch", "test"}), labels/wcep/batches/NN.ids
(first pass) and labels/wcep/batches/p2-NN.ids (the second, independent pass over about one in ten).

The strata only find candidates, so that rare ACLED sub-types and non-political news are well
represented; a stratum is never a label (most candidates of the "grenade" stratum may turn out to be
something else). Items are shuffled across strata before they are cut into batches, so a labeller
never sees a batch of one kind.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = 9
BATCH = 250

# (stratum, how many to draw, pattern over the text); the first stratum an item matches is its stratum.
KEYWORD_STRATA = [
    ("chemical", 150, r"chemical (weapon|attack|agent)|\bsarin\b|chlorine|mustard gas|nerve agent|toxic gas"),
    ("suicide", 130, r"suicide (bomb|attack|car|vest|truck)"),
    ("grenade", 150, r"grenade"),
    ("air", 130, r"air ?strikes?|airstrikes?|drone strikes?|warplanes?|air raids?|helicopter gunships?"),
    ("shelling", 130, r"\bshell(s|ing|ed)\b|artillery|mortars?\b|rockets?\b|missiles?\b"),
    ("ied", 140, r"roadside bomb|car bomb|\bIEDs?\b|land ?mines?|improvised explosive|explosive device|bomb (blast|explodes|exploded)"),
    ("gov_regain", 160, r"recaptur|\bretak(e|es|en)\b|\bretook\b|regains? control|liberat(e|es|ed) the"),
    ("nonstate_take", 160, r"(seize|seizes|seized|capture|captures|captured|overrun|overruns|overran|take control|takes control|took control)[^.]{0,40}(town|city|village|district|base|airport|province|region|border crossing)"),
    ("sexual", 130, r"\brap(e|es|ed)\b|sexual (violence|assault|abuse)|sexually assault"),
    ("abduction", 130, r"kidnap|abduct|hostages?\b"),
    ("attack_civ", 140, r"massacre|gunmen (kill|shoot|open fire|attack)|civilians (are |were )?(killed|shot)|villagers|behead"),
    ("excessive", 150, r"(fire|fires|fired|opened fire|open fire) (live ammunition |live rounds |shots )?(at|on) (protesters|demonstrators|crowds?|marchers)|(protesters|demonstrators|marchers) (are |were )?(killed|shot)|kill\w* (\d+|several|dozens of|many) (protesters|demonstrators)"),
    ("intervention", 150, r"tear ?gas|water cannons?|dispers(e|es|ed)|rubber bullets|(protesters|demonstrators) (are |were )?(arrested|detained)"),
    ("violent_demo", 140, r"\briot(s|ers|ing)?\b|(protesters|demonstrators) (clash|throw|burn|set fire|torch|storm)"),
    ("mob", 150, r"\bmobs?\b|lynch|vigilante|communal (violence|clashes|riots)|sectarian (clashes|violence)"),
    ("protest", 160, r"protest|demonstrat|\brall(y|ies)\b|\bmarch(es)?\b|sit-in|general strike|go on strike|goes on strike|strike over"),
    ("agreement", 140, r"cease-?fire|\btruce\b|peace (deal|agreement|accord|treaty)|prisoner (exchange|swap)"),
    ("arrests", 140, r"\barrest"),
    ("group_change", 150, r"\bmerge|splinter|disband|pledg(e|es|ed) allegiance|new (armed |militant |rebel )?group|\brenam|breaks? away|\bcoup\b"),
    ("disrupted", 150, r"\bdefus|intercept|shot down|shoots down|(weapons|arms|ammunition) (cache|depot|haul)|\bfoil|thwart"),
    ("hq", 200, r"outposts?\b|garrison|military presence|(establish|set up|sets up|build|builds|building|open|opens|opened|construct)\w*[^.]{0,30}\b(base|outpost|headquarters|camp|post)s?\b|station(s|ed)? (troops|forces|soldiers)|troops (are |will be )?stationed"),
    ("looting", 140, r"\bloot|torch(ed|es)\b|set fire to (homes|houses|shops|villages)|burn(ed|t|s)? (down )?(homes|houses|villages|churches|mosques)|vandali[sz]|demolish"),
    ("transfer", 140, r"withdr(aw|aws|ew|awn) (from|its|their|all)|hand(s|ed)? over control|handover of|pull(s|ed)? out of"),
    ("clash", 160, r"\bclash|fighting|gun ?battle|firefight|ambush|insurgents?|militants? (attack|kill)"),
    ("other_sd", 120, r"curfew|state of emergency|martial law|\bdeploy"),
]
NON_POLITICAL = [  # portal categories that are mostly not political events
    ("np_disaster", 480, {"Disasters and accidents", "Disasters"}),
    ("np_sport", 230, {"Sport", "Sports"}),
    ("np_business", 300, {"Business and economy", "Business and economics", "Business"}),
    ("np_health_science", 260, {"Health and environment", "Health", "Health and medicine", "Science and technology",
                                "Science"}),
    ("np_culture", 130, {"Arts and culture"}),
]
POLITICAL = re.compile(r"protest|arrest|militant|rebel|terror|police|army|soldier|troops|attack|killed|bomb|"
                       r"government|minister|president|election|party|sanction", re.I)
CRIME = ("np_crime", 300, {"Law and crime"})
RANDOM = ("random", 900)

# Round 2, drawn after round 1 was labelled: the sub-types round 1 left under 60 examples (and a few
# just above) get wider searches among the sentences round 1 did not take.
ROUND2_STRATA = [
    ("r2_sexual", 200, r"\brap(e|ed|es|ing|ist|ists)\b|sexual (violence|slavery|assault|abuse|exploitation)|sex slaves?"),
    ("r2_chemical", 200, r"chemical (weapon|attack|agent|munition)|\bsarin\b|chlorine|mustard (gas|agent)|nerve agent|"
                         r"novichok|\bVX\b|poison(ous)? gas|toxic gas|white phosphorus"),
    ("r2_hq", 200, r"outposts?\b|garrison|(establish|set up|sets up|build|builds|building|open|opens|opened|construct)\w*"
                   r"[^.]{0,40}\b(base|outpost|headquarters|camp|post|checkpoints?)s?\b|station(s|ed)? (troops|forces|"
                   r"soldiers)|troops (are |will be )?stationed|military presence|new base|\bbases? in\b"),
    ("r2_group_change", 280, r"\bmerg(e|es|ed|er)\b|splinter|disband|dissolv(e|es|ed)|pledg(e|es|ed) (allegiance|loyalty)|"
                             r"swore allegiance|new (armed |militant |rebel )?(group|faction|coalition|alliance)|\brenam|"
                             r"breaks? away|break-?away|(form|forms|formed) (a|an) (new )?(armed |militant |rebel )?(group|"
                             r"faction|coalition|alliance|militia)|declares? (a )?(unilateral )?(end|halt) to"),
    ("r2_looting", 250, r"\bloot|torch(ed|es|ing)\b|set (on )?fire to|burn(ed|t|s|ing)? (down )?(homes|houses|villages|"
                        r"churches|mosques|shops|buildings|crops)|destroy(ed|s)? (homes|houses|villages|crops)|demolish|"
                        r"\brazed?\b"),
    ("r2_abduction", 250, r"kidnap|abduct|hostages? (taken|seized)|take[sn]? hostage|took hostage|seize[sd]? [^.]{0,30}hostage"),
    ("r2_transfer", 220, r"withdr(aw|aws|ew|awn)|hand(s|ed)? over|handover|pull(s|ed)? out|pull(s|ed)? back|abandon(s|ed)? "
                         r"(the )?(town|city|base|positions)|hand back|returns? control"),
    ("r2_disrupted", 120, r"\bdefus|intercept|shot down|shoots down|(weapons|arms|ammunition|explosives) (cache|depot|haul|"
                          r"seized)|\bfoil|thwart|bomb (was |is )?(found|discovered)"),
    ("r2_excessive", 120, r"(fire|fires|fired|opened fire|open fire|shoot|shoots|shot) [^.]{0,30}(protesters|demonstrators|"
                          r"marchers|crowds?)|(protesters|demonstrators|marchers) (are |were )?(killed|shot|wounded)"),
    ("r2_agreement", 100, r"cease-?fire|\btruce\b|peace (deal|agreement|accord|treaty|talks)|prisoner (exchange|swap)|"
                          r"(sign|signs|signed) [^.]{0,40}(agreement|deal|accord)"),
]


def test_split(item_id: str) -> bool:
    """The fixed 20% test split: chosen by a hash of the id, so it never depends on the sample."""
    return int(hashlib.sha1(item_id.encode()).hexdigest(), 16) % 5 == 0


def second_pass(item_id: str) -> bool:
    """About one item in ten is labelled again, independently, to measure agreement."""
    return int(hashlib.sha1(f"pass2:{item_id}".encode()).hexdigest(), 16) % 10 == 0


def draw(rows: list[dict]) -> list[tuple[str, str]]:
    rng = random.Random(SEED)
    taken: set[str] = set()
    chosen: list[tuple[str, str]] = []

    def take(stratum: str, n: int, pool: list[dict]) -> None:
        pool = [r for r in pool if r["id"] not in taken]
        for r in rng.sample(pool, min(n, len(pool))):
            taken.add(r["id"])
            chosen.append((r["id"], stratum))

    for stratum, n, pattern in KEYWORD_STRATA:
        rx = re.compile(pattern, re.I)
        take(stratum, n, [r for r in rows if rx.search(r["text"])])
    for stratum, n, categories in NON_POLITICAL:
        take(stratum, n, [r for r in rows if r["category"] in categories])
    stratum, n, categories = CRIME
    take(stratum, n, [r for r in rows if r["category"] in categories and not re.search(
        r"protest|militant|rebel|terror|insurg|opposition|journalist|activist", r["text"], re.I)])
    take(RANDOM[0], RANDOM[1], rows)
    return chosen


# Round 3, drawn after the first learned typer was scored: PLOVER's verbal and cooperative types were
# rare in rounds 1 and 2 (which searched for ACLED's sub-types), so the typer read most of them as
# "none". These strata search relations between states and political actors.
ROUND3_STRATA = [
    ("r3_consult", 200, r"\b(meets?|met|meeting|visits?|visited|talks with|held talks|summit|phone call|spoke by phone|"
                        r"hosts?|hosted|mediat)"),
    ("r3_agree", 200, r"\b(agrees?|agreed|signs?|signed|accord|treaty|pledg(e|es|ed)|promis(e|es|ed)|offers?|offered|"
                      r"invites?|invited|deal)\b"),
    ("r3_support", 150, r"\b(praise[sd]?|endorse[sd]?|back(s|ed)|welcome[sd]?|congratulat|recogni[sz](e|es|ed)|"
                        r"support(s|ed)?|defend(s|ed)?)\b"),
    ("r3_concede", 150, r"\b(apologi[sz]|admit(s|ted)?|concede[sd]?|accept(s|ed)|pardon|amnesty|acquit|drops? charges|"
                        r"back(s|ed) down|reverse[sd]?)"),
    ("r3_cooperate_aid", 200, r"\b(aid|donat|humanitarian|assistance|relief|cooperat|joint (operation|exercise|patrol)|"
                              r"extradit|share[sd]? intelligence|loan|grant)\b"),
    ("r3_request", 150, r"\b(calls? (for|on)|called (for|on)|urge[sd]?|appeal(s|ed)?|demand(s|ed)?|asks?|asked|"
                        r"requests?|requested)\b"),
    ("r3_accuse_reject", 200, r"\b(accuse[sd]?|condemn|criticis|criticiz|denounce|blame[sd]?|reject(s|ed)?|refuse[sd]?|"
                              r"veto|den(y|ies|ied)|investigat|charged?)\b"),
    ("r3_sanction_threaten", 200, r"\b(sanction|expel|embargo|ban(s|ned)?|sever|suspend(s|ed)?|recall(s|ed)?|"
                                  r"threaten|warn(s|ed)?|ultimatum|tariff|boycott|sentenced?|convicted)"),
    ("r3_international", 300, None, {"International relations"}),  # any sentence under the portal's heading
]

# Round 4, drawn after learned-v1 was scored: the typer was weakest between neighbouring sub-types of
# ordinary conflict reporting (Attack against Armed clash, Other, looting, mob violence, territory),
# and the keyword strata of rounds 1-3 over-represent the wording they searched for. So most of this
# round is drawn at random from the portal's conflict headings, as conflict news is written, with
# smaller strata for protests, violent crime, strategic developments and political relations.
CONFLICT = {"Armed conflicts and attacks", "Armed conflict and attacks", "Syrian civil war", "Conflict in Iraq",
            "Israeli–Palestinian conflict", "2011 Libyan civil war", "2008 South Ossetia war", "Arab Spring",
            "2011 Egyptian protests"}
ROUND4_STRATA = [
    ("r4_conflict", 900, None, CONFLICT),
    ("r4_protest", 250, r"protest|demonstrat|\brall(y|ies)\b|\bmarch(es|ed)?\b|\briot|sit-in|strike", None),
    ("r4_violent_crime", 200, r"\b(kill(s|ed|ing)?|shot|shoot(s|ing)?|stabb|attack(s|ed)?|mob|lynch|beat(en|s)?|"
                              r"gunm[ae]n|massacre)", {"Law and crime"}),
    ("r4_strategic", 250, r"\bloot|torch|vandal|\bcoup\b|merge|disband|curfew|state of emergency|martial law|"
                          r"\barrest|\braid|seiz(e|es|ed)|weapons|\bbase\b|outpost|deploy|withdr[ae]w|hand(s|ed)? over", None),
    ("r4_relations", 400, None, {"International relations", "Politics and elections", "Politics"}),
]

# Round 5, drawn when round 4 was labelled: the same design, weighted towards what the unseen sets hold
# (conflict reports for ACLED; relations between states and political actors for PLOVER), plus law and
# crime, where ordinary crime must be told from political violence.
ROUND5_STRATA = [
    ("r5_conflict", 800, None, CONFLICT),
    ("r5_relations", 600, None, {"International relations", "Politics and elections", "Politics"}),
    ("r5_law_crime", 300, None, {"Law and crime"}),
    ("r5_protest", 300, r"protest|demonstrat|\brall(y|ies)\b|\bmarch(es|ed)?\b|\briot|sit-in|strike", None),
]

# Round 6, drawn when rounds 4 and 5 showed labelling at this rate was possible: 4,000 sentences at random
# under the portal's headings (no keywords), half of them conflict reports, and a quarter from the rows the
# portal gave no heading, so that the labels follow the news as the portal tells it.
ROUND6_STRATA = [
    ("r6_conflict", 2000, None, CONFLICT),
    ("r6_no_heading", 1000, None, {None}),
    ("r6_relations", 600, None, {"International relations", "Politics and elections", "Politics"}),
    ("r6_law_crime", 400, None, {"Law and crime"}),
]

# Round 7: the same design as round 6, among the sentences rounds 1-6 did not take.
ROUND7_STRATA = [
    ("r7_conflict", 2000, None, CONFLICT),
    ("r7_no_heading", 1200, None, {None}),
    ("r7_relations", 500, None, {"International relations", "Politics and elections", "Politics"}),
    ("r7_law_crime", 300, None, {"Law and crime"}),
]

# Round 8, drawn when learned-v2 was scored: the PLOVER types with the fewest labels (AID 90, COOPERATE 96,
# SUPPORT 145, THREATEN 277, CONCEDE 286 of 21,514) are the ones it reads worst on its calibration split
# and on diplomatic wire copy, and the ACLED sub-types with the fewest (looting 65, change to group 76,
# non-violent transfer 112, mob violence 130, disrupted weapons use 142) the weakest among ACLED's. Wider
# searches for each, a random draw under the relations headings where verbal events are told, and a
# random conflict draw so that the round still follows conflict news as it is written.
ROUND8_STRATA = [
    ("r8_support", 400, r"\b(prais(e|es|ed)|welcom(e|es|ed)|endors(e|es|ed)|back(s|ed)?|congratulat\w*|recogni[sz](e|es|ed)|"
                        r"defend(s|ed)|solidarity|condolences?|expresse?s? support|support(s|ed)? (the|a|an|his|her|their))\b", None),
    ("r8_cooperate", 400, r"\b(cooperat\w*|co-operat\w*|joint (military )?(exercises?|operations?|patrols?|drills?|naval)|"
                          r"war games|shar(e|es|ed|ing) (intelligence|information|data)|extradit\w*|diplomatic (relations|ties)|"
                          r"work together|partnership|alliance)\b", None),
    ("r8_aid", 400, r"\b(aid|donat\w*|humanitarian|assistance|relief (supplies|goods|aid)|asylum|loans?|grants?|"
                    r"bailout|supplies|deliver(s|ed)?|peacekeep\w*|evacuat\w*|rescue[sd]?)\b", None),
    ("r8_concede_threaten", 400, r"\b(lift(s|ed)?|eas(e|es|ed)|pardon(s|ed)?|amnesty|releas(e|es|ed)|frees?|freed|"
                                 r"apologi[sz]\w*|back(s|ed)? down|revers(e|es|ed)|conced\w*|threat(en|ens|ened)?|"
                                 r"warn(s|ed)?|vow(s|ed)?|ultimatum)\b", None),
    ("r8_relations", 600, None, {"International relations", "Politics and elections", "Politics"}),
    ("r8_mob_looting", 300, r"\b(mobs?|lynch\w*|vigilantes?|loot\w*|torch(ed|es|ing)|vandal\w*|arson\w*|"
                            r"set (on )?fire|burn(ed|t|s|ing)? (down )?|ransack\w*|raz(e|ed))\b", None),
    ("r8_group_transfer", 300, r"\b(merg(e|es|ed|er)|splinter|split|disband\w*|dissolv(e|es|ed)|pledg(e|es|ed) allegiance|"
                               r"swore allegiance|defect(s|ed|ion)?|unilateral (ceasefire|truce)|hand(s|ed)? over|handover|"
                               r"withdr(aw|aws|ew|awn)|pull(s|ed)? out|cede[sd]?|evacuat\w*)\b", None),
    ("r8_disrupted", 200, r"\b(defus\w*|intercept\w*|shot down|shoots down|caches?|arms (depot|haul|seizure)|"
                          r"(weapons|explosives|ammunition) (were |are )?(seized|found|discovered)|foil\w*|thwart\w*)\b", None),
    ("r8_conflict", 1000, None, CONFLICT),
]

# Round 9, drawn when learned-v3 was scored: its calibration errors are mostly events read as none and
# Attack against Armed clash, and on diplomatic wire copy it reads demands, refusals, warnings and
# concessions as no event: verbal PLOVER types are told in the relations news that rounds 1-8 took
# least of. Wider searches for those verbs (the speech act, not the subject), the attacks whose victims
# decide Attack or Armed clash, and ACLED's rarest sub-types, with random relations and conflict draws.
ROUND9_STRATA = [
    ("r9_request", 300, r"\b(call(s|ed)? (on|for)|urg(e|es|ed)|appeal(s|ed)? (to|for)|demand(s|ed)?|ask(s|ed)?|"
                        r"request(s|ed)?|press(es|ed)? (for|the)|seek(s)?|sought)\b", {"International relations",
                        "Politics and elections", "Politics", None}),
    ("r9_reject", 300, r"\b(reject(s|ed)?|refus(e|es|ed)|den(y|ies|ied)|dismiss(es|ed)?|veto(es|ed)?|oppos(e|es|ed)|"
                       r"boycott(s|ed)?|rebuff(s|ed)?|turn(s|ed)? down|defy|defies|defied)\b", None),
    ("r9_threaten_concede", 300, r"\b(threat(en|ens|ened)|warn(s|ed)|vow(s|ed)|ultimatum|retaliat\w*|conced\w*|"
                                 r"compromis\w*|back(s|ed) down|step(s|ped) down|resign(s|ed)|ease[sd]?|softens?|"
                                 r"u-turn|reverses?|withdr(aw|aws|ew) (the|its|his|her|a) )\b", None),
    ("r9_attack", 250, r"\b(gunm[ae]n|assailants?|attackers?|militants?|insurgents?|rebels?|fighters?)\b[^.]{0,60}"
                       r"\b(kill\w*|attack\w*|shot|shoot\w*|ambush\w*|raid\w*|storm\w*)\b", None),
    ("r9_rare", 200, r"\b(mobs?|lynch\w*|loot\w*|ransack\w*|torch(ed|es)|merg(e|es|ed)|splinter|disband\w*|"
                     r"dissolv(e|es|ed)|allegiance|hand(s|ed)? over|handover|cede[sd]?|withdr(aw|aws|ew|awn) from)\b", None),
    ("r9_relations", 350, None, {"International relations", "Politics and elections", "Politics"}),
    ("r9_conflict", 500, None, CONFLICT),
]


# Round 10, drawn when learned-v4 was scored: on its calibration split (never the test split) most ACLED
# errors are between none and the two classes with the vaguest edges, Other (states of emergency, troops
# sent, coups, captives freed) and Attack (one attacker, one victim, a killing told in passing), and
# between Attack and Armed clash; most PLOVER errors are events read as none and none read as ASSAULT,
# ACCUSE or COERCE. Wider searches for each, among sentences no round took, with a random conflict draw.
ROUND10_STRATA = [
    ("r10_strategic", 300, r"\b(state of emergency|martial law|curfew|coup|deploy\w*|send(s)? (troops|soldiers|warships?|"
                           r"forces|jets)|sent (troops|soldiers|warships?|forces|jets)|mass graves?|hostages?|captives?|"
                           r"military (exercises|drills)|warships?|naval|mobili[sz]\w*)\b", None),
    ("r10_killing", 300, r"\b(shot dead|stabb\w*|gunm[ae]n|murder\w*|assassinat\w*|massacre\w*|shooting|lynch\w*|"
                         r"beheaded|hacked|killed by|gunned down)\b", None),
    ("r10_battle", 250, r"\b(soldiers|troops|police(men)?|officers|checkpoints?|patrols?|convoys?|army)\b[^.]{0,60}"
                        r"\b(kill\w*|attack\w*|ambush\w*|wound\w*|injur\w*)\b", None),
    ("r10_arrest_accuse", 300, r"\b(arrest\w*|detain\w*|custody|charged|accus\w*|blam\w*|condemn\w*|criticiz\w*|"
                               r"criticis\w*|alleg\w*)\b", None),
    ("r10_agree_retreat", 250, r"\b(agree\w*|deal|ceasefire|cease-fire|truce|accord|releas\w*|freed|frees|withdr\w*|"
                               r"pull(s|ed)? (out|back)|disarm\w*|evacuat\w*)\b", None),
    ("r10_conflict", 600, None, CONFLICT),
]


def draw_later_round(rows: list[dict], taken: set[str], strata, seed: int) -> list[tuple[str, str]]:
    """A later round: each stratum's sample among the sentences no earlier round took. A stratum is
    (name, how many, pattern or None, portal headings or None): a sentence qualifies when the pattern
    matches it (None: any) and it sits under one of the headings (None: any)."""
    rng = random.Random(seed)
    chosen: list[tuple[str, str]] = []
    taken = set(taken)
    for stratum, n, pattern, *headings in strata:
        categories = headings[0] if headings else None
        rx = re.compile(pattern, re.I) if pattern else None
        pool = [r for r in rows if r["id"] not in taken and (categories is None or r["category"] in categories)
                and (rx is None or rx.search(r["text"]))]
        for r in rng.sample(pool, min(n, len(pool))):
            taken.add(r["id"])
            chosen.append((r["id"], stratum))
    return chosen


# Rounds after the first, in order: each draws among the sentences no earlier round took (its strata, and
# the seeds of its draw and of its shuffle). Appending a round never changes an earlier one's sample.
LATER_ROUNDS = [(ROUND2_STRATA, SEED + 2, SEED + 3), (ROUND3_STRATA, SEED + 4, SEED + 5),
                (ROUND4_STRATA, SEED + 6, SEED + 7), (ROUND5_STRATA, SEED + 8, SEED + 9),
                (ROUND6_STRATA, SEED + 10, SEED + 11), (ROUND7_STRATA, SEED + 12, SEED + 13),
                (ROUND8_STRATA, SEED + 14, SEED + 15), (ROUND9_STRATA, SEED + 16, SEED + 17),
                (ROUND10_STRATA, SEED + 18, SEED + 19)]


def _write_ids(path: Path, ids: list[str]) -> None:
    path.write_text("".join(item_id + "\n" for item_id in ids), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wcep", default=str(ROOT.parent / "shared/train/wcep/wcep_sentences.jsonl"))
    parser.add_argument("--out", default=str(ROOT / "labels/wcep"))
    args = parser.parse_args()
    rows = [json.loads(line) for line in Path(args.wcep).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if len(r["text"]) <= 600]  # one or two sentences: long multi-story rows are left out
    chosen = draw(rows)
    order = list(chosen)
    random.Random(SEED + 1).shuffle(order)
    rounds = [(1, order, 1)]  # (round, items in batch order, its first batch)
    for strata, draw_seed, shuffle_seed in LATER_ROUNDS:
        items = draw_later_round(rows, {item_id for _, done, _ in rounds for item_id, _ in done}, strata, draw_seed)
        random.Random(shuffle_seed).shuffle(items)
        _, last, last_first = rounds[-1]
        rounds.append((len(rounds) + 1, items, last_first + (len(last) + BATCH - 1) // BATCH))
    out = Path(args.out)
    (out / "batches").mkdir(parents=True, exist_ok=True)
    with open(out / "sample.jsonl", "w", encoding="utf-8") as fh:
        for rnd, items, first in rounds:
            for i, (item_id, stratum) in enumerate(items):
                fh.write(json.dumps({"id": item_id, "stratum": stratum, "batch": first + i // BATCH, "round": rnd,
                                     "test": test_split(item_id)}) + "\n")
    for _, items, first in rounds:
        for b in range(0, len(items), BATCH):
            _write_ids(out / "batches" / f"{first + b // BATCH:02d}.ids", [item_id for item_id, _ in items[b:b + BATCH]])
    # the second pass: round 1's sample in three files, then one file a round
    again = [[item_id for item_id, _ in items if second_pass(item_id)] for _, items, _ in rounds]
    size = (len(again[0]) + 2) // 3
    second_files = [again[0][k * size:(k + 1) * size] for k in range(3)] + again[1:]
    for k, ids in enumerate(second_files, 1):
        _write_ids(out / "batches" / f"p2-{k:02d}.ids", ids)
    everything = [item for _, items, _ in rounds for item in items]
    counts: dict[str, int] = {}
    for _, stratum in everything:
        counts[stratum] = counts.get(stratum, 0) + 1
    _, last, last_first = rounds[-1]
    print(f"{len(everything)} items in {last_first - 1 + (len(last) + BATCH - 1) // BATCH} batches; "
          f"{sum(test_split(i) for i, _ in everything)} in the test split; {sum(map(len, again))} for the second pass")
    for stratum, n in counts.items():
        print(f"  {stratum:<20} {n}")


if __name__ == "__main__":
    main()
