"""What each phase of a solve path runs (the paths themselves are declared in solve.py).

Every function has the shape `phase(solving, work) -> extra`: it does its part within `work` deterministic
units on the shared `Solving` state. CP-SAT's work is counted by the runner; `extra` is the work outside
CP-SAT (seatings and branches converted to work units), or None when what the phase spent depends on timing.
The predicates below each group (`skip_…`, `stopped`, `all_seated`, `no_…`) say when a phase is left out.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.domain import Event
from scheduler.model.bounds.bound_process import BoundJob
from scheduler.model.bounds.slot_search import SlotResult
from scheduler.model.cpsat.objective import max_shortfall, networking_penalty, weighted_wishes
from scheduler.model.cpsat.rules import Guard, build_rules
from scheduler.model.cpsat.seat_model import exact_seats
from scheduler.model.cpsat.timetable import build_timetable_model, extract_timetable
from scheduler.model.cpsat.variables import PlanVars
from scheduler.model.facts import Placed, Timetable
from scheduler.model.heuristics import annealing, lns, move_search, pair_swaps, slot_annealing
from scheduler.model.heuristics.fair_seats import BONUS_ROUNDS, FairSeats, fair_seats
from scheduler.model.heuristics.greedy import fitted_timetable, greedy_timetable
from scheduler.model.heuristics.pair_swaps import Found
from scheduler.model.heuristics.seat_polish import polish_seats
from scheduler.model.heuristics.seats import assign_seats
from scheduler.model.pipeline import Joint, Phase, Solving, run_path
from scheduler.model.runner import Runner, SolveOptions, seconds_of, work_of
from scheduler.model.score import evaluate, rank

ANNEALED = "annealed"  # the name of the timetable the annealing found, when it beat the seed
ANNEALING_SHARE = 0.25  # of the budget for the annealing, where CP-SAT's exact seats fit
POLISH_PASSES = 2  # passes of slot-by-slot re-seating after the search (each costs about one seating)
CHECKPOINT_SEARCH_SHARE = 0.5  # of the slot values phase's work left to the search at least, with checkpoints
MIN_PAIR_SHARE = 0.3  # of the large events' seed work at least for the slot-value search, when the fair seats'
# full rounds (2 targets x BONUS_ROUNDS + 1 seatings, reserved first) would leave less


# -- the fast plan: timetables without the joint model, seated by flow -------------------------------------


def greedy_plan(s: Solving, work: float) -> float:
    """The greedy timetable, seated by min-cost flow (no search)."""
    greedy_timetable_only(s, work)
    if "greedy" in s.timetables:
        s.fast["greedy"] = assign_seats(s.event, s.timetables["greedy"])
    return 0.0


def greedy_timetable_only(s: Solving, work: float) -> float:
    timetable = greedy_timetable(s.event)
    if timetable is not None:
        s.timetables["greedy"] = timetable
    return 0.0


def swap_search(s: Solving, work: float) -> float:
    """Moves of the greedy timetable re-seated by flow, within the seatings `work` stands for."""
    start = s.fast["greedy"]
    assert start is not None
    timetable, placed, tried = move_search.swap_search(
        s.event, s.runner, s.timetables["greedy"], FairSeats(start), move_search.seatings(s.event, work)
    )
    s.timetables["greedy"], s.fast["greedy"] = timetable, placed
    return move_search.seatings_work(s.event, tried)


def demand_plan(s: Solving, work: float) -> float:
    """A CP-SAT timetable from aggregate demand (few colliding wishes), seated by flow."""
    demand_timetable_only(s, work)
    if "demand" in s.timetables:
        s.fast["demand"] = assign_seats(s.event, s.timetables["demand"])
    return 0.0


def demand_timetable_only(s: Solving, work: float) -> float:
    model = cp_model.CpModel()
    v, collisions = build_timetable_model(s.event, model)
    model.minimize(collisions)
    solver, status = s.runner.solve("timetable", model, work)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        s.timetables["demand"] = extract_timetable(v, solver)
    return 0.0


def cp_seats(s: Solving, work: float) -> float:
    """CP-SAT seats for each timetable the flow could not seat (e.g. minimums slot-by-slot seating misses)."""
    for name, timetable in s.timetables.items():
        if name in s.fast and s.fast[name] is None and not s.runner.stopped():
            s.fast[name] = cp_seats_for(s.event, s.runner, timetable, work)
    return 0.0


def cp_seats_for(event: Event, runner: Runner, timetable: Timetable, work: float) -> list[Placed] | None:
    """Seats for a fixed timetable by CP-SAT (fairness, then weighted wishes, no mix): the flow's fallback."""
    model = cp_model.CpModel()
    v = PlanVars(event, model, timetable=timetable)
    build_rules(event, model, v, Guard(model))
    s = Solving(event, runner, joint=Joint(model, v, max_shortfall(event, model, v), weighted_wishes(event, v)))
    with runner.local_bounds():  # bounds for one timetable say nothing about the event
        run_path(s, SEAT_PATH, work)
    return s.state.placed


def skip_greedy_search(s: Solving, work: float) -> bool:
    return s.fast.get("greedy") is None


def stopped(s: Solving, work: float) -> bool:
    return s.runner.stopped()


def all_seated(s: Solving, work: float) -> bool:
    return all(p is not None for p in s.fast.values())


# -- beside: the slot bound and search on the second core -------------------------------------------------


def start_slot_bound(s: Solving, work: float) -> float:
    """Start the slot bound before the fast plans: its rounds do not need a plan, so they run beside them."""
    always_child = s.runner.options.bound_in_child
    s.bound = BoundJob(s.event, seconds_of(work), always_child=always_child, deferred=True)
    return 0.0


def start_column_bound(s: Solving, work: float) -> float:
    """Start the bound beside the two-stage search: for a large event the generated-column bound
    (`column_bound`), which sees collisions where the capacity ceiling does not."""
    s.bound = BoundJob(s.event, seconds_of(work), always_child=True)
    return 0.0


def take_column_bound(s: Solving, work: float) -> float:
    """Wait for the bound beside, at most until the time limit; its best bound so far counts then."""
    assert s.bound is not None
    s.state.slot_bound = s.bound.result(lambda: s.runner.stopped() or s.runner.seconds_left() <= 0).bound
    return 0.0


def start_slot_search(s: Solving, work: float) -> float:
    """Hand the slot search the best fast plan; it starts when the bound's rounds are done, beside the joint
    model."""
    assert s.bound is not None
    s.bound.begin(s.best())
    return 0.0


def take_slot_search(s: Solving, work: float) -> float:
    """Wait for the slot search and take its plan: a proven one replaces whatever the satisfaction phase had when
    the proof ended it (so the result does not depend on when the proof came), else a better one is kept.
    Returns the work the slot search spent beside."""
    assert s.bound is not None and s.state.placed is not None
    found = s.bound.result(lambda: s.runner.stopped() or s.runner.out_of_time())
    s.state.slot_bound = found.bound
    if found.placed is not None and proven(found, s.event, s.fair):
        s.state.placed, s.proven = found.placed, True
    elif found.placed is not None and rank(s.event, found.placed) < rank(s.event, s.state.placed):
        s.state.placed = found.placed
    return work_of(found.spent)


def skip_slot_search(s: Solving, work: float) -> bool:
    return not s.runner.options.slot_search


def skip_slot_start(s: Solving, work: float) -> bool:
    return s.bound is None


def skip_slot_result(s: Solving, work: float) -> bool:
    return s.bound is None or s.state.infeasible or s.state.placed is None


def proven(found: SlotResult | None, event: Event, fair: int) -> bool:
    """The slot search proved its plan best among plans with largest shortfall at most `fair`."""
    return (
        found is not None
        and found.proven
        and found.placed is not None
        and evaluate(event, found.placed).max_shortfall <= fair
    )


# -- the joint model: fairness, then satisfaction, then the networking mix ---------------------------------


def joint_model(s: Solving, work: float) -> float:
    """Every rule on the whole event, hinted with the best fast plan."""
    model = cp_model.CpModel()
    v = PlanVars(s.event, model)
    build_rules(s.event, model, v, Guard(model), leave_out=s.runner.options.leave_out)
    s.joint = Joint(model, v, max_shortfall(s.event, model, v), weighted_wishes(s.event, v))
    s.state.candidates = [p for p in s.fast.values() if p is not None]
    s.state.placed = s.best()
    return 0.0


def fairness(s: Solving, work: float) -> float:
    """Minimise the largest shortfall, then fix the fairest value that any plan so far reached."""
    assert s.joint is not None
    j, state = s.joint, s.state
    j.model.minimize(j.worst)
    status = s.runner.run("fairness", j.model, j.v, state, work)
    if status == cp_model.INFEASIBLE:
        state.infeasible = True
    elif state.placed is not None:
        s.fair = min(evaluate(s.event, c).max_shortfall for c in state.candidates)
        j.model.add(j.worst <= s.fair)
        state.placed = max(
            (c for c in state.candidates if evaluate(s.event, c).max_shortfall <= s.fair),
            key=lambda c: evaluate(s.event, c).weighted,
        )
    return 0.0


def satisfaction(s: Solving, work: float) -> float | None:
    """Maximise the weighted wishes at that fairness; a proof from the slot search beside ends it early."""
    assert s.joint is not None
    j, bound = s.joint, s.bound
    j.model.maximize(j.weighted)
    ceiling = bound.peek if bound is not None else lambda: None
    until = (lambda: proven(bound.ready(), s.event, s.fair)) if bound is not None else (lambda: False)
    s.runner.run("satisfaction", j.model, j.v, s.state, work, ceiling, until=until)
    if bound is not None and proven(bound.ready(), s.event, s.fair):
        return None  # ended by the proof, at a moment that varies
    return 0.0


def mix(s: Solving, work: float) -> float:
    """Minimise the networking penalty at the weighted wishes reached (the mix only breaks ties)."""
    assert s.joint is not None and s.state.placed is not None
    j = s.joint
    j.model.add(j.weighted >= evaluate(s.event, s.state.placed).weighted)
    j.model.minimize(networking_penalty(s.event, j.model, j.v))
    s.runner.run("mix", j.model, j.v, s.state, work)
    return 0.0


def skip_after_fairness(s: Solving, work: float) -> bool:
    """No plan, proven infeasible, or stopped: the later phases of the joint model are left out."""
    return s.state.infeasible or s.state.placed is None or s.state.interrupted


def mix_after_proof(s: Solving) -> bool:
    """The mix takes what satisfaction left unless a proof ended it (then that amount depends on timing)."""
    return not s.proven


# -- the two-stage plan for large events -----------------------------------------------------------------


def seed(s: Solving, work: float) -> float:
    """The timetable to search from (greedy or room-fitted) with fair flow seats, within the seatings given;
    CP-SAT seats it with the rest of the budget when no flow seating exists."""
    (name, timetable), *_ = s.timetables.items()
    timetable, s.seats = move_search.seed(s.event, s.runner, timetable, move_search.seatings(s.event, work))
    if s.seats.placed is None:
        s.seats.placed = cp_seats_for(s.event, s.runner, timetable, s.runner.options.budget - s.runner.work_used)
    s.timetables, s.fast = {name: timetable}, {name: s.seats.placed}
    return move_search.seatings_work(s.event, s.seats.seatings)


def slot_value_seed(s: Solving, work: float) -> float:
    """For large events instead of `seed`: the room-fitted timetable searched by slot values (`pair_swaps`),
    then fair flow seats for the timetable found. The fair seats' full rounds are reserved first (with fewer,
    5,000 people came out at largest shortfall 4 or 3 depending on the timetable), the search gets the rest, at
    least MIN_PAIR_SHARE, and stops on the clock when the seconds left are what the reserve stands for. When the
    search finds no improving move before its budget, the annealing on slot values (`slot_annealing`) gets the
    rest less a second reserve, and both timetables are seated fairly: the better plan wins (the slot values do
    not see fairness). So are the timetables the search kept at its checkpoints (`search_checkpoints`, each with
    full rounds reserved), so that a longer limit never ranks below a shorter one. CP-SAT seats the timetable
    with the rest of the budget when no flow seating exists."""
    (name, timetable), *_ = s.timetables.items()
    full_rounds = move_search.seatings_work(s.event, 2 * BONUS_ROUNDS + 1)
    checkpoints = search_checkpoints(s, work, full_rounds)
    search_work = max(work - (len(checkpoints) + 1) * full_rounds, MIN_PAIR_SHARE * work)
    reserve = seconds_of(work - search_work)
    budget = pair_swaps.flows_of(s.event, search_work)
    start = fitted_timetable(s.event, timetable)
    found = pair_swaps.search(s.event, s.runner, start, budget, reserve, checkpoints)
    timetables = [found.timetable, *(t for t in found.kept if t is not found.timetable)]
    left = budget - found.flows - pair_swaps.flows_of(s.event, full_rounds)
    if found.stalled and left > 0:
        annealed = slot_annealing.anneal(s.event, s.runner, found, left, s.runner.options.seed, 2 * reserve)
        found = Found(found.timetable, found.value, annealed.flows)
        if annealed.timetable is not timetables[0]:
            timetables.append(annealed.timetable)
    spent = pair_swaps.flows_work(s.event, found.flows)
    rounds = max(1, min(BONUS_ROUNDS, (move_search.seatings(s.event, work - spent) // len(timetables) - 1) // 2))
    one_seating = seconds_of(move_search.seatings_work(s.event, 2))  # twice the conservative speed
    seated = [
        (fair_seats(s.event, t, rounds, lambda: s.runner.stopped() or s.runner.out_of_time(one_seating)), t)
        for t in timetables
    ]
    s.seats, timetable = min(seated, key=lambda seats: seats[0].rank(s.event))
    s.seats.seatings = sum(seats.seatings for seats, _ in seated)
    if s.seats.placed is None:
        s.seats.placed = cp_seats_for(s.event, s.runner, timetable, s.runner.options.budget - s.runner.work_used)
    s.timetables, s.fast = {name: timetable}, {name: s.seats.placed}
    return spent + move_search.seatings_work(s.event, s.seats.seatings)


def search_checkpoints(s: Solving, work: float, full_rounds: float) -> list[int]:
    """Counts of slot values at which the slot-value search keeps its timetable for fair seats of its own: the
    count the default time limit's budget gives the search, and each doubling of it, as long as the search's
    budget, less the fair seats' full rounds reserved for each checkpoint, still passes it and keeps at least
    CHECKPOINT_SEARCH_SHARE of `work` (10,000 people at 300 s: one checkpoint would halve the search, for the
    default minute's timetable, 59 weighted wishes fewer, the same fairness). The slot values do
    not see fairness: at 5,000 people 2,718 values seated at largest shortfall 3, twice as many at 4, so a
    longer limit ranked below the default minute. Counts, not the clock: the same plan on every machine."""
    default = work * SolveOptions().budget / s.runner.options.budget if s.runner.options.budget > 0 else work
    base = pair_swaps.flows_of(s.event, max(default - full_rounds, MIN_PAIR_SHARE * default))
    checkpoints: list[int] = []
    while base > 0:
        count = base * 2 ** len(checkpoints)
        search_work = work - (len(checkpoints) + 2) * full_rounds
        if search_work < CHECKPOINT_SEARCH_SHARE * work or count >= pair_swaps.flows_of(s.event, search_work):
            return checkpoints
        checkpoints.append(count)
    return checkpoints


def anneal_timetable(s: Solving, work: float) -> float:
    """Annealing runs from the seed's timetable, each seated by CP-SAT (see `annealing.search`), within
    ANNEALING_SHARE of the budget: the rest of `work` (what the seed left, carried on) passes on to the move
    search. A plan better than the seed's is kept as the "annealed" timetable, and the move search and its exact
    seats are left out."""
    assert s.seats is not None and s.seats.placed is not None
    (_, timetable), *_ = s.timetables.items()
    work = min(work, ANNEALING_SHARE * s.runner.options.budget)
    found = annealing.search(s.event, s.runner, timetable, s.seats.placed, s.seats.bonus, work, s.runner.options.seed)
    if found.placed is not s.seats.placed:
        s.timetables, s.fast = {ANNEALED: timetable_of(found.placed)}, {ANNEALED: found.placed}
        s.runner.report("satisfaction", evaluate(s.event, found.placed).weighted)
    return found.building


def annealed(s: Solving, work: float) -> bool:
    return ANNEALED in s.timetables


def search(s: Solving, work: float) -> float:
    """The move search from the seed, re-seating by flow, then a slot-by-slot polish of the seats."""
    assert s.seats is not None and s.seats.placed is not None
    (name, timetable), *_ = s.timetables.items()
    budget = move_search.seatings(s.event, work) - POLISH_PASSES
    timetable, placed, tried = move_search.swap_search(s.event, s.runner, timetable, s.seats, budget)
    passes = 0 if s.runner.stopped() else POLISH_PASSES
    one_slot = 2 * seconds_of(move_search.seatings_work(s.event, 1)) / max(len(s.event.session_slots), 1)  # busy
    placed = polish_seats(s.event, placed, passes, lambda: s.runner.stopped() or s.runner.out_of_time(one_slot))
    s.runner.report("satisfaction", evaluate(s.event, placed).weighted)
    s.timetables, s.fast = {name: timetable}, {name: placed}
    return move_search.seatings_work(s.event, tried + passes)


def exact(s: Solving, work: float) -> float:
    """CP-SAT seats for the searched timetable (see `exact_seats`)."""
    (name, timetable), *_ = s.timetables.items()
    placed = s.fast[name]
    assert placed is not None
    s.fast[name] = exact_seats(s.event, s.runner, timetable, placed, work)
    s.runner.report("satisfaction", evaluate(s.event, s.fast[name] or placed).weighted)
    return 0.0


def neighbourhoods(s: Solving, work: float) -> float:
    """The large-neighbourhood search from the best plan so far, with what the phases before left."""
    (name, _), *_ = s.timetables.items()
    start = s.best()
    assert start is not None
    found = lns.search(s.event, s.runner, start, work, s.runner.options.seed)
    s.timetables, s.fast = {name: timetable_of(found.placed)}, {name: found.placed}
    return found.building


def timetable_of(placed: list[Placed]) -> Timetable:
    """The timetable of a plan's runs."""
    timetable: Timetable = {}
    for r in placed:
        timetable[r.session] = (*timetable.get(r.session, ()), (r.start, r.room_class))
    return timetable


def rest_of_budget(s: Solving) -> float:
    """The share of the budget the phases before left unspent."""
    budget = s.runner.options.budget
    return max(budget - s.runner.work_used, 0.0) / budget if budget > 0 else 0.0


def no_neighbourhoods(s: Solving, work: float) -> bool:
    return no_seed(s, work) or s.runner.stopped() or not lns.fits(s.event)


def no_timetable(s: Solving, work: float) -> bool:
    return not s.timetables


def no_seed(s: Solving, work: float) -> bool:
    return s.best() is None


def greedy_found(s: Solving, work: float) -> bool:
    return "greedy" in s.timetables


SEAT_PATH = (  # CP-SAT seats for one timetable, in `cp_seats_for`: the joint model's first two phases
    Phase("fairness", fairness, share=0.35, of_rest=True),
    Phase("satisfaction", satisfaction, share=0.55, skip=skip_after_fairness, of_rest=True, carry=True),
)
