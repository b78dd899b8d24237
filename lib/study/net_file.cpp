#include "study/net_file.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "core/error.hpp"
#include "core/read_file.hpp"
#include "init/initializer.hpp"
#include "study/json_text.hpp"

namespace initlab::study {

namespace {

constexpr const char* kInvSqrt = "1/sqrt(L)";

// Blocks as expanded so far, each with the JSON path of the object that made it.
struct Seq {
  std::vector<Block> blocks;
  std::vector<std::string> paths;
  std::size_t layers = 0;
};

std::size_t layers_of(const Block& b) {
  if (const auto* r = std::get_if<Residual>(&b)) return r->branch.size() + (r->pre_norm ? 1 : 0);
  return 1;
}

bool label_char(char ch) {
  return std::isalnum(static_cast<unsigned char>(ch)) || std::string_view("._+-").find(ch) != std::string_view::npos;
}

std::string child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : cat(path, ".", key);
}

// The JSON walk: `path` names the value being read, errors start with the source.
class NetParser {
 public:
  explicit NetParser(const std::string& source) : source_(source) {}

  NetDescription net(const Json& doc) {
    expect_object(doc, "", "an object {\"input\": N, \"layers\": [...]}");
    only_keys(doc, "", {"name", "input", "layers"}, "a network file");
    NetDescription net;
    if (const Json* n = member(doc, "name")) net.name = name(*n);
    net.input = integer(required(doc, "", "input", "the input width"), "input", 1, kMaxNetWidth);
    const Json& layers = required(doc, "", "layers", "a list of blocks");
    Seq seq;
    append_list(layers, "layers", 0, seq);
    net.blocks = std::move(seq.blocks);
    resolve_alpha(net);
    check_structure(net, seq.paths);
    return net;
  }

 private:
  const std::string& source_;

  template <class... Args>
  [[noreturn]] void error(const std::string& path, const Args&... args) const {
    fail(path.empty() ? source_ : cat(source_, ": ", path), args...);
  }

  static const Json* member(const Json& j, std::string_view key) {
    const auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
  }

  void expect_object(const Json& j, const std::string& path, const char* expected) const {
    if (!j.is_object()) error(path, json_excerpt(j), " is not an object; expected ", expected);
  }

  const Json& required(const Json& j, const std::string& path, const char* key,
                       const char* expected) const {
    const Json* v = member(j, key);
    if (v == nullptr) error(path, "\"", key, "\" is missing; expected ", expected);
    return *v;
  }

  void only_keys(const Json& j, const std::string& path, std::initializer_list<std::string_view> keys,
                 const char* what) const {
    for (const auto& [k, v] : j.items()) {
      bool known = false;
      for (auto key : keys) known = known || k == key;
      if (known) continue;
      std::string list;
      for (auto key : keys) list += cat(list.empty() ? "" : ", ", key);
      error(child(path, k), "unknown key \"", k, "\" in ", what, "; expected one of ", list);
    }
  }

  std::size_t integer(const Json& j, const std::string& path, std::size_t lo, std::size_t hi) const {
    if (!j.is_number_integer() || j.is_number_float() ||
        (!j.is_number_unsigned() && j.get<std::int64_t>() < 0) || j.get<std::uint64_t>() < lo ||
        j.get<std::uint64_t>() > hi)
      error(path, json_excerpt(j), " is not an integer in [", lo, ", ", hi, "]");
    return static_cast<std::size_t>(j.get<std::uint64_t>());
  }

  double number(const Json& j, const std::string& path, const char* expected) const {
    if (!j.is_number() || !std::isfinite(j.get<double>()))
      error(path, json_excerpt(j), " is not a finite number; expected ", expected);
    return j.get<double>();
  }

  std::string text(const Json& j, const std::string& path, const char* expected) const {
    if (!j.is_string() || j.get<std::string>().empty())
      error(path, json_excerpt(j), " is not a non-empty string; expected ", expected);
    return j.get<std::string>();
  }

  std::string name(const Json& j) const {
    const std::string s = text(j, "name", "a label of [A-Za-z0-9._+-]");
    bool ok = s.size() <= kMaxNetNameLength;
    for (char ch : s) ok = ok && label_char(ch);
    if (!ok) error("name", json_excerpt(j), " is not a label; expected 1 to ", kMaxNetNameLength, " characters of [A-Za-z0-9._+-]");
    return s;
  }

  Activation activation(const Json& j, const std::string& path) const {
    const std::string spec = text(j, path, Activation::kSpecs);
    try {
      return Activation::parse(spec);
    } catch (const std::invalid_argument& e) {
      error(path, e.what());
    }
  }

  std::string init_spec(const Json& j, const std::string& path) const {
    const std::string spec = text(j, path, "an initializer spec such as \"he_normal\"");
    try {
      init::parse(spec);
    } catch (const std::invalid_argument& e) {
      error(path, e.what());
    }
    return spec;
  }

  std::size_t repeat(const Json& j, const std::string& path) const {
    const Json* r = member(j, "repeat");
    return r == nullptr ? 1 : integer(*r, child(path, "repeat"), 1, kMaxNetRepeat);
  }

  DenseLayer dense(const Json& j, const std::string& path) const {
    expect_object(j, path, "a dense layer {\"width\": N, \"activation\": ..., \"init\": ...}");
    only_keys(j, path, {"width", "activation", "init", "bias", "repeat"}, "a dense layer");
    DenseLayer d;
    d.width = integer(required(j, path, "width", "a width"), child(path, "width"), 1, kMaxNetWidth);
    d.activation = activation(required(j, path, "activation", Activation::kSpecs), child(path, "activation"));
    d.init = init_spec(required(j, path, "init", "a weight initializer spec"), child(path, "init"));
    if (const Json* b = member(j, "bias")) d.bias = init_spec(*b, child(path, "bias"));
    return d;
  }

  Norm norm(const Json& j, const std::string& path) const {
    only_keys(j, path, {"norm", "affine", "eps"}, "a norm block");
    const std::string kind = text(required(j, path, "norm", "\"layernorm\" or \"batchnorm\""), child(path, "norm"),
                                  "\"layernorm\" or \"batchnorm\"");
    Norm n;
    if (kind != "layernorm" && kind != "batchnorm")
      error(child(path, "norm"), "\"", kind, "\" is not a norm; expected \"layernorm\" or \"batchnorm\"");
    n.kind = kind == "layernorm" ? Norm::Kind::layer : Norm::Kind::batch;
    if (const Json* a = member(j, "affine")) {
      if (!a->is_boolean()) error(child(path, "affine"), json_excerpt(*a), " is not true or false");
      n.affine = a->get<bool>();
    }
    if (const Json* e = member(j, "eps")) {
      n.eps = number(*e, child(path, "eps"), "eps > 0");
      if (!(n.eps > 0.0)) error(child(path, "eps"), json_excerpt(*e), " is not > 0; expected eps > 0");
    }
    return n;
  }

  std::optional<Norm> pre_norm(const Json& j, const std::string& path) const {
    if (j.is_null()) return std::nullopt;
    if (j.is_object()) return norm(j, path);
    return norm(Json{{"norm", j}}, path);
  }

  double alpha(const Json& j, const std::string& path, Residual& r) const {
    if (j.is_string() && j.get<std::string>() == kInvSqrt) {
      r.scale = Residual::Scale::inv_sqrt_blocks;
      return 1.0;
    }
    if (j.is_string()) error(path, json_excerpt(j), " is not a number or \"", kInvSqrt, "\"");
    return number(j, path, "a number or \"1/sqrt(L)\"");
  }

  Seq residual(const Json& j, const std::string& path) const {
    only_keys(j, path, {"residual"}, "a residual block (its keys go inside \"residual\")");
    const std::string in = child(path, "residual");
    const Json& body = j.at("residual");
    expect_object(body, in, "{\"branch\": [...], \"alpha\": ..., \"norm\": ..., \"repeat\": N}");
    only_keys(body, in, {"branch", "alpha", "norm", "repeat"}, "a residual block");
    Residual r;
    if (const Json* a = member(body, "alpha")) r.alpha = alpha(*a, child(in, "alpha"), r);
    if (const Json* n = member(body, "norm")) r.pre_norm = pre_norm(*n, child(in, "norm"));
    const std::string bp = child(in, "branch");
    const Json& branch = required(body, in, "branch", "a list of dense layers");
    if (!branch.is_array() || branch.empty())
      error(bp, json_excerpt(branch), " is not a non-empty list; expected dense layers");
    Seq layers;
    for (std::size_t i = 0; i < branch.size(); ++i) {
      const std::string p = cat(bp, "[", i, "]");
      append(layers, Seq{{dense(branch[i], p)}, {p}, 1}, repeat(branch[i], p), p);
    }
    for (auto& b : layers.blocks) r.branch.push_back(std::get<DenseLayer>(b));
    Seq one{{r}, {in}, layers_of(r)};
    Seq out;
    append(out, one, repeat(body, in), in);
    return out;
  }

  Seq group(const Json& j, const std::string& path, std::size_t depth) const {
    only_keys(j, path, {"repeat", "layers"}, "a group");
    Seq inner;
    append_list(j.at("layers"), child(path, "layers"), depth + 1, inner);
    Seq out;
    append(out, inner, repeat(j, path), path);
    return out;
  }

  Seq item(const Json& j, const std::string& path, std::size_t depth) const {
    expect_object(j, path, "a block (a dense layer, {\"norm\": ...}, {\"residual\": ...} or a group)");
    if (member(j, "residual")) return residual(j, path);
    if (member(j, "norm")) return Seq{{norm(j, path)}, {path}, 1};
    if (member(j, "layers")) return group(j, path, depth);
    Seq out;
    append(out, Seq{{dense(j, path)}, {path}, 1}, repeat(j, path), path);
    return out;
  }

  void append_list(const Json& list, const std::string& path, std::size_t depth, Seq& out) const {
    if (depth > kMaxNetNesting)
      error(path, "groups and residual blocks nested ", depth, " deep; expected at most ", kMaxNetNesting);
    if (!list.is_array() || list.empty())
      error(path, json_excerpt(list), " is not a non-empty list; expected blocks");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string p = cat(path, "[", i, "]");
      append(out, item(list[i], p, depth), 1, p);
    }
  }

  // out += times copies of part, within kMaxNetLayers.
  void append(Seq& out, const Seq& part, std::size_t times, const std::string& path) const {
    if (part.layers * times > kMaxNetLayers - out.layers)
      error(path, "the network grows beyond ", kMaxNetLayers,
            " layers (dense layers and norms, repeats expanded); expected at most ", kMaxNetLayers);
    for (std::size_t t = 0; t < times; ++t) {
      out.blocks.insert(out.blocks.end(), part.blocks.begin(), part.blocks.end());
      out.paths.insert(out.paths.end(), part.paths.begin(), part.paths.end());
    }
    out.layers += part.layers * times;
  }

  static void resolve_alpha(NetDescription& net) {
    const double a = 1.0 / std::sqrt(static_cast<double>(std::max<std::size_t>(1, net.residual_blocks())));
    for (auto& b : net.blocks)
      if (auto* r = std::get_if<Residual>(&b); r && r->scale == Residual::Scale::inv_sqrt_blocks) r->alpha = a;
  }

  // validate(), with the failing block mapped to its JSON path: the shortest
  // failing prefix ends at the block validate() names.
  void check_structure(const NetDescription& net, const std::vector<std::string>& paths) const {
    if (fails(net, net.blocks.size()).empty()) return;
    std::size_t lo = 1, hi = net.blocks.size();  // fails(hi) holds
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (fails(net, mid).empty()) lo = mid + 1; else hi = mid;
    }
    error(paths[hi - 1], fails(net, hi));
  }

  // validate()'s message for the first k blocks without its function name; empty if valid.
  static std::string fails(const NetDescription& net, std::size_t k) {
    NetDescription part{net.name, net.input, {net.blocks.begin(), net.blocks.begin() + static_cast<std::ptrdiff_t>(k)}};
    try {
      part.validate();
    } catch (const std::invalid_argument& e) {
      const std::string m = e.what();
      const auto colon = m.find(": ");
      return colon == std::string::npos ? m : m.substr(colon + 2);
    }
    return "";
  }
};

}  // namespace

NetDescription parse_net(std::string_view json_text, const std::string& source) {
  const Json doc = parse_json_strict(json_text, source);
  try {
    return NetParser(source).net(doc);
  } catch (const Json::exception& e) {
    fail(source, "unexpected JSON (", e.what(), ")");
  }
}

NetDescription load_net(const std::filesystem::path& file) {
  NetDescription net = parse_net(read_file(file, "a network file (JSON, docs/net-files.md)"), file.string());
  if (net.name.empty()) {
    net.name = file.stem().string();
    for (char& ch : net.name) ch = label_char(ch) ? ch : '_';
  }
  return net;
}

std::size_t layer_count(const NetDescription& net) {
  std::size_t n = 0;
  for (const auto& b : net.blocks) n += layers_of(b);
  return n;
}

}  // namespace initlab::study
