#pragma once
// Reading a NetDescription (core/net_description.hpp) from a network file (JSON)
// or from a compact architecture string; docs/net-files.md is the full schema.
//
// File: {"name": "...", "input": 784, "layers": [BLOCK, ...]} where BLOCK is one of
//   dense     {"width": 300, "activation": "tanh", "init": "lecun_normal",
//              "bias": "zeros", "repeat": 4}        (bias and repeat optional)
//   norm      {"norm": "layernorm" | "batchnorm", "affine": false, "eps": 1e-5}
//   residual  {"residual": {"branch": [DENSE, ...], "alpha": 1 | "1/sqrt(L)",
//              "norm": null | "layernorm" | "batchnorm" | NORM, "repeat": 50}}
//   group     {"repeat": 32, "layers": [BLOCK, ...]}
// Unknown keys, duplicate keys, wrong types and out-of-range numbers are errors.
//
// Compact string (plain MLPs only): INPUT-LAYER-LAYER-..., LAYER =
// WIDTH[xREPEAT][:ACTIVATION[:INIT[:BIAS]]]; an omitted field repeats the
// previous layer's (the first layer needs ACTIVATION and INIT; BIAS starts as
// zeros); a field containing ':' or '-' is written in parentheses, e.g.
//   784-300x4:tanh:lecun_normal-10:linear:xavier_normal
//   2-64x8:(leaky_relu:0.2):he_normal-1:linear:(normal:0.01)
//
// Every error is one std::invalid_argument line starting with the source:
// "FILE:LINE:COL: ..." for bad JSON, "FILE: layers[2].residual.branch[0].width:
// ..." for a bad field, "FILE: layers[3]: block 4: ..." for a structural error
// (NetDescription::validate, mapped back to the JSON that made the block).

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/net_description.hpp"

namespace initlab::study {

// Limits of a described network (after expanding repeats).
inline constexpr std::size_t kMaxNetWidth = std::size_t{1} << 20;  // input and every width
inline constexpr std::size_t kMaxNetRepeat = 10'000;               // any one "repeat"
// Dense layers plus norms (branch layers and pre-norms included).
inline constexpr std::size_t kMaxNetLayers = 10'000;
inline constexpr std::size_t kMaxNetNesting = 8;  // groups and residuals inside each other
inline constexpr std::size_t kMaxNetNameLength = 100;

// Parses the JSON text of a network file; `source` (the file name) starts every
// error. The net's name is the file's "name", else empty.
NetDescription parse_net(std::string_view json_text, const std::string& source);
// Reads and parses FILE; the name defaults to the file's stem (characters other
// than [A-Za-z0-9._+-] become '_'). Throws naming FILE if it cannot be read.
NetDescription load_net(const std::filesystem::path& file);
// Parses a compact architecture string (above); the net is named "arch".
NetDescription parse_arch(std::string_view arch);

// Dense layers plus norms of the net, branch layers and pre-norms included.
std::size_t layer_count(const NetDescription& net);

}  // namespace initlab::study
