#pragma once
// The mean-field picture (theory/meanfield.hpp) of a described plain network
// (NetDescription::plain(): dense layers only): layer l's activation, the second
// moment E[(W^l)^2] = Var + mean^2 of its initializer at its own (n_l, n_{l-1})
// shape, and the bias second moment E[b^2], which the recursion takes as one sb2
// for every layer. Nets with residual or norm blocks go through the block
// recursion instead (docs/theory.md gives each block's law).

#include "core/net_description.hpp"
#include "theory/meanfield.hpp"

namespace initlab::study {

// Throws std::invalid_argument naming the block when the net is not plain, and
// the layer when its bias second moment differs from layer 1's.
theory::Architecture plain_architecture(const NetDescription& net, double q0);

// Whether the net is plain and every dense layer has layer 1's bias spec: the
// nets nn::Network and the one-sb2 length map take. A plain net with per-layer
// bias specs goes through nn::Model and the block recursion instead.
bool one_bias_plain(const NetDescription& net);

// The per-layer weight init specs and activations of a plain net, in layer order.
std::vector<std::string> plain_inits(const NetDescription& net);
std::vector<Activation> plain_activations(const NetDescription& net);

}  // namespace initlab::study
