"""A timetable without search, for events too large for the CP-SAT timetable: greedy placement, then moves.

Runs are placed one at a time, the most constrained first (fewest allowed places), then by demand: each goes
to the slot where its wishes collide least with the sessions already there (the same pairwise collision weights as
the CP-SAT timetable), ties to the slot with the fewest seats per person so far; within a slot to the smallest room
class that seats its demand. Then single-slot, single-run sessions are moved or swapped between slots while
that lowers the collisions. Every step follows sorted ids and counts, so the result is deterministic.

The same moves, widened to room swaps within a slot and moves into free rooms, feed the search in solve.py
(`timetable_moves`) and make the room-fitted variant of a timetable (`fitted_timetable`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping

from scheduler.domain import Event, Session
from scheduler.model.cpsat.timetable import collision_weights
from scheduler.model.facts import Timetable, allowed_starts, occupants, room_classes, seat_limit

Place = tuple[str, str]  # (start slot, room class) of a run
Move = tuple[tuple[str, Place, Place], ...]  # per run moved: (session, from, to)
MAX_ROUNDS = 20  # improving passes over all sessions (each pass is cheap; they stop early when nothing improves)


def greedy_timetable(event: Event) -> Timetable | None:
    """A timetable satisfying every timetable rule and enough seats per slot; None when greedy gets stuck."""
    return _Greedy(event).run()


def timetable_moves(
    event: Event, timetable: Timetable, collisions: Mapping[tuple[str, str], int] | None = None
) -> Iterator[tuple[Move, Timetable]]:
    """Timetables one move away, each with its move, the most promising first.

    A move either swaps the places of two single-slot, single-run sessions (their slots and rooms, or only their
    rooms when both are in one slot) or moves one such session into a free room of its own or another slot.
    Every one keeps the timetable rules and enough seats per slot. The order is the change in collisions plus
    overflow (wishers beyond the seats, times their mean wish weight): the flow seating judges the move, but
    popular sessions in small rooms lose as many wishes as sessions that collide. `collisions`: the event's
    `collision_weights`, for callers that ask for moves many times.
    """
    greedy = _Greedy.loaded(event, timetable, collisions)
    for _, move in sorted(greedy._moves()):
        if greedy._apply(move):
            yield move, greedy.timetable()
            greedy._undo(move)


def fitted_timetable(event: Event, timetable: Timetable) -> Timetable:
    """The timetable after every move that lowers collisions plus overflow, best first, until none does.

    A second seed for the search beside the greedy timetable, which fits rooms only after collisions: here
    popular sessions win big rooms as in ConferenceScheduler (500 people, fair flow seats: 4,810 → 5,055
    weighted wishes at largest shortfall 2). Not sure to be better once seated, so callers compare both when
    their budget allows.
    """
    greedy = _Greedy.loaded(event, timetable)
    greedy._descend()
    return greedy.timetable()


class Moves:
    """A timetable to make single moves on, for the annealings and the slot-value search: `apply` checks every
    rule, `undo` takes it back."""

    def __init__(
        self, event: Event, timetable: Timetable, collisions: Mapping[tuple[str, str], int] | None = None
    ) -> None:
        self._greedy = _Greedy.loaded(event, timetable, collisions)

    def scored(self) -> list[tuple[float, Move]]:
        """The moves of `timetable_moves` with their change in collisions plus overflow, not yet checked against
        the rules (for a search that keeps one state instead of asking `timetable_moves` after each move)."""
        return self._greedy._moves()

    def collisions(self, session: str, slot: str) -> int:
        """The collision weight of the session with the sessions in the slot (itself left out)."""
        return sum(self._greedy.pair[session][o] for o in self._greedy.in_slot[slot] if o != session)

    def movable(self) -> list[str]:
        """Sessions that moves may place elsewhere: single-run, single-slot, not fixed to a slot."""
        return [s.id for s in self._greedy._movable()]

    def others(self) -> list[str]:
        """Sessions of several runs or slots, not fixed to a slot: moved one run at a time."""
        return [s.id for s in self._greedy.sessions if (s.runs > 1 or s.duration > 1) and s.fixed_slot is None]

    def place(self, session: str) -> Place:
        return self._greedy.placed[session][0]

    def duration(self, session: str) -> int:
        return self._greedy.event.session(session).duration

    def places(self, session: str) -> list[Place]:
        """Every run's place, in the order they were placed."""
        return list(self._greedy.placed[session])

    def allowed(self, session: str) -> list[Place]:
        return self._greedy.allowed[session]

    def apply(self, move: Move) -> bool:
        return self._greedy._apply(move)

    def undo(self, move: Move) -> None:
        self._greedy._undo(move)

    def timetable(self) -> Timetable:
        return self._greedy.timetable()


class _Greedy:
    def __init__(self, event: Event, collisions: Mapping[tuple[str, str], int] | None = None) -> None:
        self.event = event
        self.classes = {c.id: c for c in room_classes(event)}
        self.slot_ids = [s.id for s in event.session_slots]
        self.sessions = sorted(event.sessions, key=lambda s: s.id)
        self.allowed = {s.id: allowed_starts(event, s, self.classes.values()) for s in self.sessions}
        self.occupants = {s.id: occupants(event, s) for s in self.sessions}  # hosts, `Fest`, `Nicht parallel zu`
        self.pair: dict[str, Counter[str]] = {s.id: Counter() for s in self.sessions}
        for (a, b), w in (collision_weights(event) if collisions is None else collisions).items():
            self.pair[a][b] += w
            self.pair[b][a] += w
        wishers = Counter(w.session for p in event.participants for w in p.wishes)
        wishers.update(s for p in event.participants for s in p.fixed - {w.session for w in p.wishes})
        weights: Counter[str] = Counter()
        for p in event.participants:
            for wish in p.wishes:
                weights[wish.session] += event.weight(wish.rank)
        self.need = {s.id: wishers[s.id] // s.runs for s in self.sessions}
        self.mean_weight = {s.id: weights[s.id] / max(wishers[s.id], 1) for s in self.sessions}
        self.present = {t: 0 for t in self.slot_ids}
        for p in event.participants:
            for t in self.slot_ids:
                if t not in p.unavailable:
                    self.present[t] += 1
        self.in_slot: dict[str, list[str]] = {t: [] for t in self.slot_ids}
        self.rooms_used: Counter[tuple[str, str]] = Counter()
        self.seats: Counter[str] = Counter()
        self.host_busy: set[tuple[str, str]] = set()
        self.limits = {(s.id, c): seat_limit(event, s, rc) for s in self.sessions for c, rc in self.classes.items()}
        self.spans = {(s.id, t): event.covered_slots(t, s.duration) for s in self.sessions for t in self.slot_ids}
        self.seated_hosts = {  # hosts who would need a seat in a slot they are free, when not hosting there
            s.id: [(h, event.person(h).unavailable) for h in s.hosts if event.person(h).participant]
            for s in self.sessions
        }
        self.hosts_in: Counter[tuple[str, str]] = Counter()  # (slot, host) -> runs they host there
        self.hosting: Counter[str] = Counter()  # slot -> participants hosting there who are free then
        self.placed: dict[str, list[tuple[str, str]]] = {s.id: [] for s in self.sessions}

    @classmethod
    def loaded(
        cls, event: Event, timetable: Timetable, collisions: Mapping[tuple[str, str], int] | None = None
    ) -> _Greedy:
        """The state of a finished timetable, to make moves from."""
        greedy = cls(event, collisions)
        for session_id, pairs in sorted(timetable.items()):
            for start, class_id in pairs:
                greedy._place(event.session(session_id), start, class_id)
        return greedy

    def run(self) -> Timetable | None:
        order = sorted(
            self.sessions, key=lambda s: (s.fixed_slot is None, -s.duration, -s.runs, -self.need[s.id], s.id)
        )
        for s in order:
            for _ in range(s.runs):
                options = [(t, c) for t, c in self.allowed[s.id] if self._fits(s, t, c)]
                if not options:
                    return None
                self._place(s, *min(options, key=lambda o: self._score(s, *o)))
        self._repair_seats()
        if any(self._short(t) for t in self.slot_ids):
            return None
        self._improve()
        return self.timetable()

    def timetable(self) -> Timetable:
        return {s: tuple(pairs) for s, pairs in self.placed.items()}

    # -- placing -------------------------------------------------------------------------------------

    def _covered(self, s: Session, start: str) -> tuple[str, ...]:
        return self.spans[s.id, start]

    def _fits(self, s: Session, start: str, class_id: str) -> bool:
        for t in self._covered(s, start):
            if self.rooms_used[t, class_id] >= self.classes[class_id].size or s.id in self.in_slot[t]:
                return False
            if any((t, h) in self.host_busy for h in self.occupants[s.id]):
                return False
        return True

    def _score(self, s: Session, start: str, class_id: str) -> tuple[int, float, int, int, int, str]:
        covered = self._covered(s, start)
        collisions = sum(self.pair[s.id][o] for t in covered for o in self.in_slot[t])
        fill = max(self.seats[t] / max(self.present[t], 1) for t in covered)
        seats = self.limits[s.id, class_id]
        room_fit = seats if seats >= self.need[s.id] else -seats + 10**9
        spare_features = len(self.classes[class_id].features - s.features)  # keep special rooms for who needs them
        return collisions, fill, spare_features, room_fit, self.slot_ids.index(start), class_id

    def _place(self, s: Session, start: str, class_id: str, sign: int = 1) -> None:
        seats = self.limits[s.id, class_id]
        for t in self._covered(s, start):
            self.rooms_used[t, class_id] += sign
            self.seats[t] += sign * seats
            for h in self.occupants[s.id]:
                (self.host_busy.add if sign > 0 else self.host_busy.discard)((t, h))
            for h, unavailable in self.seated_hosts[s.id]:
                self.hosts_in[t, h] += sign
                if t not in unavailable and self.hosts_in[t, h] == (1 if sign > 0 else 0):
                    self.hosting[t] += sign
            (self.in_slot[t].append if sign > 0 else self.in_slot[t].remove)(s.id)
        if sign > 0:
            self.placed[s.id].append((start, class_id))
        else:
            self.placed[s.id].remove((start, class_id))

    def _short(self, slot: str) -> bool:
        return self.seats[slot] < self.present[slot] - self._hosting(slot)

    def _repair_seats(self) -> None:
        """Give slots short of seats more: a run moved in from a slot with seats to spare, or a larger room.

        The least colliding move first, then the one that adds most seats; runs fixed to their slot may still
        change room.
        """
        for _ in range(len(self.sessions) * len(self.classes)):
            short = [t for t in self.slot_ids if self._short(t)]
            if not short:
                return
            moves = []
            for s in self.sessions:
                if s.runs == 1 and s.duration == 1:
                    moves += self._moves_into(s, short)
            if not moves:
                return
            _, _, session_id, t, c = min(moves)
            s = self.event.session(session_id)
            self._place(s, *self.placed[s.id][0], sign=-1)
            self._place(s, t, c)

    def _moves_into(self, s: Session, short: list[str]) -> list[tuple[int, int, str, str, str]]:
        """(collision change, minus seats gained, session, slot, class) of each move of s that helps `short`."""
        old, old_class = self.placed[s.id][0]
        before = self.limits[s.id, old_class]
        self._place(s, old, old_class, sign=-1)
        moves = []
        leaves_enough = not self._short(old)
        loss = sum(self.pair[s.id][o] for o in self.in_slot[old])
        for t, c in self.allowed[s.id]:
            gain = self.limits[s.id, c] - (before if t == old else 0)
            if t in short and gain > 0 and (t == old or leaves_enough) and self._fits(s, t, c):
                moves.append((self._score(s, t, c)[0] - loss, -gain, s.id, t, c))
        self._place(s, old, old_class)
        return moves

    def _movable(self) -> list[Session]:
        return [s for s in self.sessions if s.runs == 1 and s.duration == 1 and s.fixed_slot is None]

    def _hosting(self, slot: str) -> int:
        """Participants busy hosting in the slot: they need no seat there (counted as runs are placed)."""
        return self.hosting[slot]

    # -- improving -----------------------------------------------------------------------------------

    def _improve(self) -> None:
        """Move single-slot, single-run sessions to the slot where they collide least, while that helps."""
        for _ in range(MAX_ROUNDS):
            if not sum(self._move_best(s) for s in self._movable()):
                return

    def _move_best(self, s: Session) -> bool:
        (start, class_id) = self.placed[s.id][0]
        current = sum(self.pair[s.id][o] for o in self.in_slot[start] if o != s.id)
        self._place(s, start, class_id, sign=-1)
        options = [(t, c) for t, c in self.allowed[s.id] if self._fits(s, t, c) and self._seats_kept(s, start, t, c)]
        best = min(options, key=lambda o: self._score(s, *o), default=(start, class_id))
        if sum(self.pair[s.id][o] for o in self.in_slot[best[0]]) >= current:
            best = (start, class_id)
        self._place(s, *best)
        return best != (start, class_id)

    def _seats_kept(self, s: Session, old: str, new: str, class_id: str) -> bool:
        """Leaving `old` keeps a seat for everyone there (the new slot only gains seats)."""
        if new == old:
            return True
        return self.seats[old] >= self.present[old] - self._hosting(old)

    def _moves(self) -> list[tuple[float, Move]]:
        """Every move (see `timetable_moves`) with its change in collisions plus overflow, computed from each
        session's collisions per slot without carrying the move out; whether it keeps the rules is left to
        `_apply` (callers carry out only the moves they take)."""
        single = [s for s in self.sessions if s.runs == 1 and s.duration == 1]
        near = {s.id: {t: sum(self.pair[s.id][o] for o in self.in_slot[t]) for t in self.slot_ids} for s in single}
        found: list[tuple[float, Move]] = []
        for i, a in enumerate(single):
            here = self.placed[a.id][0]
            before = 0 + (near[a.id][here[0]] + self._overflow_in(a.id, here[1]))
            for place in self.allowed[a.id]:
                if place != here:
                    found.append(
                        (
                            0 + (near[a.id][place[0]] + self._overflow_in(a.id, place[1])) - before,
                            ((a.id, here, place),),
                        )
                    )
            for b in single[i + 1 :]:
                there = self.placed[b.id][0]
                if here == there:
                    continue
                both = before + (near[b.id][there[0]] + self._overflow_in(b.id, there[1]))
                shared = self.pair[a.id][b.id] if here[0] != there[0] else 0
                after_a = near[a.id][there[0]] - shared if here[0] != there[0] else near[a.id][here[0]]
                after_b = near[b.id][here[0]] - shared if here[0] != there[0] else near[b.id][there[0]]
                after = 0 + (after_a + self._overflow_in(a.id, there[1])) + (after_b + self._overflow_in(b.id, here[1]))
                found.append((after - both, ((a.id, here, there), (b.id, there, here))))
        return found

    def _descend(self) -> None:
        """Carry out improving moves (collisions plus overflow), best first, while a pass finds one."""
        for _ in range(MAX_ROUNDS):
            changed = False
            for change, move in sorted(self._moves()):
                if change >= 0:
                    break
                if any(self.placed[s][0] != old for s, old, _ in move):
                    continue  # an earlier move of this pass took one of its sessions elsewhere
                before = self._cost(move)
                if self._apply(move):
                    if self._cost(move) < before:
                        changed = True
                    else:
                        self._undo(move)
            if not changed:
                return

    def _cost(self, move: Move) -> float:
        """Collisions and overflow of the sessions in the move, at their current places."""
        return sum(self._collisions(self.event.session(s)) + self._overflow(s) for s, _, _ in move)

    def _overflow(self, session_id: str) -> float:
        """Wish weight of the wishers beyond the seats of the session's room (what a bigger room would save)."""
        return self._overflow_in(session_id, self.placed[session_id][0][1])

    def _overflow_in(self, session_id: str, class_id: str) -> float:
        return max(self.need[session_id] - self.limits[session_id, class_id], 0) * self.mean_weight[session_id]

    def _collisions(self, s: Session) -> int:
        return sum(self.pair[s.id][o] for o in self.in_slot[self.placed[s.id][0][0]])

    def _apply(self, move: Move) -> bool:
        """Carry out the move when it keeps every rule and enough seats in the slots it touches; True when done."""
        for session_id, old, _ in move:
            self._place(self.event.session(session_id), *old, sign=-1)
        done: list[tuple[str, Place]] = []
        for session_id, _, new in move:
            s = self.event.session(session_id)
            if new not in self.allowed[session_id] or not self._fits(s, *new):
                break
            self._place(s, *new)
            done.append((session_id, new))
        else:
            touched = {t for s, old, new in move for p in (old, new) for t in self.spans[s, p[0]]}
            if not any(self._short(t) for t in touched):
                return True
        self._undo(move, done)
        return False

    def _undo(self, move: Move, done: list[tuple[str, Place]] | None = None) -> None:
        """Take back a move, or the `done` part of it: no checks, the state before it was valid."""
        for session_id, new in [(s, new) for s, _, new in move] if done is None else done:
            self._place(self.event.session(session_id), *new, sign=-1)
        for session_id, old, _ in move:
            self._place(self.event.session(session_id), *old)
