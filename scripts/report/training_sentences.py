"""One sentence per training finding, formatted from its numbers; the verdict and
the criterion come from the JSON (lib/study/training_findings.cpp)."""
from common import fmt, pct, verdict


def ranking(f):
    n = f["numbers"]
    order = f["subject"].split(" > ")
    parts = [f"`{k}` {pct(n['held_out_accuracy_' + k])} (± {pct(n['sem_' + k])} s.e.)" for k in order]
    return f"Ranking by mean held-out accuracy: {' > '.join(parts)}; separated: {verdict(f)}."


def note_claim(f):
    n = f["numbers"]
    return (f"The note's claim that Xavier trains best: note_xavier {pct(n['held_out_accuracy_note_xavier'])} against "
            f"the best other {pct(n['best_other'])}: {verdict(f)}.")


def zero(f):
    n = f["numbers"]
    return (f"`{f['subject']}`: every hidden unit computes the same value, so the network stays at the uniform guess: "
            f"final cost {fmt(n['final_cost'])} against ln {int(n['classes'])} = {fmt(n['uniform_guess_cost'])}, "
            f"train accuracy {pct(n['train_accuracy'])}: {verdict(f)}.")


def plateau(f):
    n = f["numbers"]
    steps = lambda v: "never" if v is None or v < 0 else f"step {int(v)}"  # noqa: E731
    return (f"{f['subject']}: the cost first drops 1% below its start at {steps(n['steps_small'])} against "
            f"{steps(n['steps_appropriate'])}; a plateau: {verdict(f)}.")


def shape(f, what):
    n = f["numbers"]
    return (f"`{f['subject']}`: cost {fmt(n['cost_start'])} at step 0, lowest {fmt(n['cost_lowest'])} at step "
            f"{fmt(n['lowest_at_step'])}, last 10% of steps between {fmt(n['tail_min'])} and {fmt(n['tail_max'])} "
            f"({fmt(n['tail_ups'])} of {fmt(n['tail_steps'])} steps up), relative change {fmt(100 * n['rel_change'], 3)}%"
            f": {what} {verdict(f)}.") if n["cost_start"] is not None else f"`{f['subject']}`: no finite cost."


def diverged(f):
    n = f["numbers"]
    if f["holds"]:
        return f"`{f['subject']}` **diverged** at step {int(n['step'])} (epoch {int(n['epoch'])})."
    return f"`{f['subject']}` did not diverge ({int(n['steps'])} steps)."


SENTENCES = {
    "init_ranking": ranking,
    "note_claim_holds": note_claim,
    "zero_init_symmetric": zero,
    "small_init_plateau": plateau,
    "deep_linear_oscillates": lambda f: shape(f, "oscillates"),
    "deep_linear_stalls": lambda f: shape(f, "stalls"),
    "run_diverged": diverged,
}


def sentence(f):
    write = SENTENCES.get(f["id"])
    text = write(f) if write else f"{f['subject']}: {verdict(f)}."
    return f"`{f['id']}`: {text} *Criterion: {f['criterion']}.*"
