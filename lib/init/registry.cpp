// The initializer registry: parse(), spec_of() and table() iterate the rules of
// the variant `Rule` (initializer.hpp) and then the note's presets (note.hpp);
// every name, parser and table row lives with its rule. The spec grammar is in
// spec_args.hpp.

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/error.hpp"
#include "init/initializer.hpp"
#include "init/note.hpp"
#include "init/spec_args.hpp"

namespace initlab::init {

namespace {

struct Registry {
  // Sorted by name: an unknown name's error lists them in this order.
  std::map<std::string_view, std::function<Rule(const SpecArgs&)>> parsers;
  std::vector<TableRow> rows;

  template <class R>
  void add(const std::vector<Entry<R>>& entries) {
    for (const auto& e : entries) {
      for (auto name : e.names) {
        const auto parse_rule = [p = e.parse](const SpecArgs& a) { return Rule{p(a)}; };
        if (!parsers.emplace(name, parse_rule).second) {
          throw std::logic_error(cat("init registry: the name '", name, "' is given twice"));
        }
      }
      rows.push_back(e.row);
    }
  }
};

template <std::size_t... I>
Registry build(std::index_sequence<I...>) {
  Registry r;
  (r.add(std::variant_alternative_t<I, Rule>::entries()), ...);
  r.add(note_presets());
  return r;
}

const Registry& registry() {
  static const Registry r = build(std::make_index_sequence<std::variant_size_v<Rule>>{});
  return r;
}

}  // namespace

Initializer parse(std::string_view spec) {
  const SpecArgs a(spec);
  const auto& all = registry().parsers;
  const auto it = all.find(a.name());
  if (it == all.end()) {
    std::string names;
    for (const auto& [name, p] : all) names += (names.empty() ? "" : ", ") + std::string(name);
    fail(spec, "unknown initializer '", a.name(), "'; expected one of ", names);
  }
  return Initializer(std::string(spec), it->second(a));
}

std::string spec_of(const Rule& rule) {
  return std::visit([](const auto& r) { return r.spec(); }, rule);
}

std::vector<TableRow> table() { return registry().rows; }

}  // namespace initlab::init
