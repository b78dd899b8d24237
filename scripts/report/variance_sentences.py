"""One sentence per variance finding, formatted from its numbers; the verdict and
the criterion come from the JSON (lib/study/variance_findings.cpp)."""
from common import fmt, pct, pow10, verdict


def power_law(f):
    n = f["numbers"]
    ls = [k.split("_l")[-1] for k in n if k.startswith("two_l_q_l")]
    meas = ", ".join(fmt(n[f"two_l_q_l{l}"]) for l in ls)
    theo = ", ".join(fmt(n[f"two_l_q_theory_l{l}"]) for l in ls)
    return (f"{f['subject']}: q^1 = {fmt(n['q_1'])}; 2l·q^l = {meas} measured ({theo} predicted) at l = "
            f"{', '.join(ls)}; q^{int(n['layer_L'])} = {fmt(n['q_L'])} against {fmt(n['q_L_theory'])} predicted. "
            f"The 1/(2l) power law, not a preserved variance, {verdict(f)}.")


def identity_saturates(f):
    n = f["numbers"]
    lin = (f"; the linear net with the same weights reaches q = {pow10(n['linear_log10_q_L'])}"
           if n.get("linear_log10_q_L") is not None else "")
    return (f"{f['subject']}: E[(a^{int(n['layer_L'])})^2] = {fmt(n['a_L_2'])} measured; a* = {fmt(n['a_star'], 6)} "
            f"solves a = tanh({fmt(n['alpha'])} a), a*^2 = {fmt(n['a_star_2'])} (difference {fmt(n['difference'])}), "
            f"slope {fmt(n['slope_at_a_star'])} < 1 there, {pct(n['saturated_L'], 1)} of units at |a| > 0.99{lin}. "
            f"Saturates instead of exploding: {verdict(f)}.")


def saturated_gradients(f):
    n = f["numbers"]
    return (f"{f['subject']}: {pct(n['saturated_L'], 1)} of the units of layer {int(n['layer_L'])} have |a| > 0.99 "
            f"(E[a^2] = {fmt(n['a2_L'])}), chi_1 = {fmt(n['chi1_L'])}; E[(dL/dh^1)^2] = {pow10(n['log10_grad2_1'])} "
            f"measured ({pow10(n['log10_grad2_1_theory'])} predicted) from {pow10(n['log10_grad2_L'])} at the top. "
            f"Gradients grow toward the input despite saturation: {verdict(f)}.")


def largest_random(f):
    n = f["numbers"]
    return (f"Largest deviation of a random init from mean-field: {fmt(n['z_sem'], 3)} standard errors of the mean "
            f"over {int(n['seeds'])} seeds, {f['subject']} (measured {fmt(n['measured'])}, predicted "
            f"{fmt(n['predicted'])}, {fmt(100 * n['rel_deviation'], 3)}%). Within the band: {verdict(f)}.")


def largest_exact(f):
    n = f["numbers"]
    return (f"Deterministic inits against their exact prediction: largest forward relative error "
            f"{fmt(n['max_rel_error_forward'])}, largest gradient deviation {fmt(n['z_sem_grad2'], 3)} standard errors "
            f"({f['subject']}): {verdict(f)}.")


def explained(f):
    n = f["numbers"]
    pred = n["predicted_rel_correction"]
    said = (f"the computed finite-width correction predicts {fmt(100 * pred, 3)}% (ratio {fmt(n['ratio'], 3)})"
            if pred is not None else "no finite-width correction is computed for this weight law or field")
    return (f"{f['subject']}: measured {fmt(100 * n['measured_rel_deviation'], 3)}% from mean-field "
            f"(standard error {fmt(100 * n['sem_rel'], 2)}%); {said}. Explained by a computed expectation: {verdict(f)}.")


def exact(f):
    n = f["numbers"]
    return f"{f['subject']}: largest relative error against the exact prediction {fmt(n['max_rel_error'])}: {verdict(f)}."


SENTENCES = {
    "tanh_xavier_power_law": power_law,
    "tanh_identity_saturates": identity_saturates,
    "tanh_saturated_gradients_grow": saturated_gradients,
    "largest_deviation_random": largest_random,
    "largest_deviation_exact": largest_exact,
    "seed_spread_explained": explained,
    "deterministic_exact": exact,
}


def sentence(f):
    """The finding as a sentence, its criterion beside it."""
    write = SENTENCES.get(f["id"])
    text = write(f) if write else f"{f['subject']}: {verdict(f)}."
    return f"`{f['id']}`: {text} *Criterion: {f['criterion']}.*"
