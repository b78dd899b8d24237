// Registry: specs parse to the rules the table says, canonical specs round-trip,
// and bad specs throw std::invalid_argument naming the spec and what was expected.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <variant>

#include "init/draw.hpp"
#include "init/initializer.hpp"
#include "init/note.hpp"
#include "init/spec_args.hpp"

namespace initlab::init {
namespace {

const char* const kGoodSpecs[] = {
    "zeros", "ones", "constant:0.25", "constant:-3", "uniform:0.5", "normal:0.01",
    "truncated_normal:0.02", "truncated_normal:1,-1.5,0.5", "variance_scaling",
    "variance_scaling:scale=2,mode=fan_out,distribution=uniform",
    "variance_scaling:distribution=normal,scale=1/3", "lecun_normal", "lecun_uniform",
    "xavier_normal", "xavier_uniform:gain=1.5", "glorot_normal", "glorot_uniform:gain=5/3",
    "he_normal", "he_uniform:mode=fan_out", "kaiming_normal:nonlinearity=leaky_relu,slope=0.2",
    "kaiming_uniform:slope=0.1,mode=fan_avg", "orthogonal", "orthogonal:1.4142135623730951",
    "identity", "identity:-0.5", "sparse", "sparse:0.2", "sparse:0.2,0.05", "note_zero",
    "note_uniform", "note_xavier", "note_standard_normal"};

TEST(Registry, CanonicalSpecsRoundTrip) {
  for (const char* spec : kGoodSpecs) {
    const Initializer ini = parse(spec);
    EXPECT_EQ(ini.spec(), spec);
    const std::string canonical = spec_of(ini.rule());
    EXPECT_EQ(parse(canonical).rule(), ini.rule()) << spec << " -> " << canonical;
    EXPECT_EQ(spec_of(parse(canonical).rule()), canonical);
  }
}

// Every table row whose name and `equals` have no placeholder (upper-case letters such
// as V, G^2, GAIN) parses, and equals its `equals` column (base rules say "-").
TEST(Registry, TableRowsAreWhatTheySayTheyEqual) {
  const auto has_placeholder = [](const std::string& text) {
    return std::any_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  };
  int checked = 0;
  for (const auto& row : table()) {
    const std::string name = row.name.substr(0, row.name.find_first_of(" ["));
    if (row.equals == "-" || has_placeholder(name) || has_placeholder(row.equals)) continue;
    EXPECT_EQ(parse(row.equals).rule(), parse(name).rule()) << name << " vs " << row.equals;
    ++checked;
  }
  // zeros, ones, lecun_*, he_*, note_* (4)
  EXPECT_EQ(checked, 10);
}

TEST(Registry, TableNamesEveryFamily) {
  std::string names;
  for (const auto& row : table()) names += row.name + "\n";
  for (const char* n : {"zeros", "ones", "constant", "uniform", "normal", "truncated_normal",
                        "variance_scaling", "lecun_normal", "lecun_uniform", "xavier_normal",
                        "glorot_normal", "xavier_uniform", "glorot_uniform", "he_normal",
                        "kaiming_normal", "he_uniform", "kaiming_uniform", "orthogonal",
                        "identity", "sparse", "note_zero", "note_uniform", "note_xavier",
                        "note_standard_normal"}) {
    EXPECT_NE(names.find(n), std::string::npos) << n;
  }
}

std::string message_of(const std::string& spec) {
  try {
    parse(spec);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no exception)";
}

TEST(Registry, BadSpecsNameTheSpecAndTheExpectation) {
  EXPECT_EQ(message_of("he_normal:mode=fan_up"),
            "he_normal:mode=fan_up: mode must be fan_in, fan_out or fan_avg");
  EXPECT_EQ(message_of("normal:-1"), "normal:-1: STD must be > 0, got -1");
  EXPECT_EQ(message_of("normal:0"), "normal:0: STD must be > 0, got 0");
  EXPECT_EQ(message_of("identity:abc"), "identity:abc: ALPHA must be a finite number, got 'abc'");
  EXPECT_EQ(message_of("uniform:0"), "uniform:0: A must be > 0, got 0");
  EXPECT_EQ(message_of("normal:1x"), "normal:1x: STD must be a finite number, got '1x'");
  EXPECT_EQ(message_of("normal:inf"), "normal:inf: STD must be a finite number, got 'inf'");
  EXPECT_EQ(message_of("zeros:3"), "zeros:3: zeros takes no arguments");
  EXPECT_EQ(message_of("he_normal:"),
            "he_normal:: empty argument; expected he_normal followed by ':' and "
            "comma-separated values");
  EXPECT_EQ(message_of("variance_scaling:distribution=cauchy"),
            "variance_scaling:distribution=cauchy: distribution must be normal, "
            "truncated_normal or uniform");
  EXPECT_EQ(message_of("he_normal:nonlinearity=tanh"),
            "he_normal:nonlinearity=tanh: nonlinearity must be relu or leaky_relu");
  EXPECT_EQ(message_of("he_normal:nonlinearity=relu,slope=0.1"),
            "he_normal:nonlinearity=relu,slope=0.1: slope applies only to nonlinearity=leaky_relu");
  EXPECT_EQ(message_of("truncated_normal:1,2,1"),
            "truncated_normal:1,2,1: bounds must satisfy a < b, got a = 2, b = 1");
  EXPECT_EQ(message_of("sparse:1.5"), "sparse:1.5: SPARSITY must be in [0, 1], got 1.5");
  EXPECT_EQ(message_of("xavier_normal:gain=1,gain=2"),
            "xavier_normal:gain=1,gain=2: option 'gain' given twice");
  for (const char* spec : {"he_normal:mode=fan_in,,", "normal", "normal:1,2", "orthogonal:1,2",
                           "identity:1:2", "he_normal:fan_in", "he_normal:gain=2",
                           "xavier_normal:1", "truncated_normal:1,-1", "truncated_normal:1,40,41",
                           "constant:1/0", "uniform:0x10", " zeros", "Zeros", "he_normal ",
                           ""}) {
    const std::string msg = message_of(spec);
    EXPECT_EQ(msg.rfind(std::string(spec) + ": ", 0), 0u) << "'" << spec << "' -> " << msg;
  }
  EXPECT_NE(message_of("foo").find("unknown initializer 'foo'; expected one of"),
            std::string::npos);
}

TEST(Registry, ShapeErrorsNameTheSpec) {
  const Initializer ini = parse("he_normal");
  try {
    (void)init::draw<float>(ini, {0, 3}, random::Stream(1));
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "he_normal: shape (0, 3) has a zero dimension; expected out >= 1 and in >= 1");
  }
  std::vector<double> w(10);
  EXPECT_THROW(ini(std::span<double>(w), {3, 4}, random::Stream(1)), std::invalid_argument);
  EXPECT_THROW((void)ini.moments({4, 0}), std::invalid_argument);
}

// The registry is built from the rules of `Rule` and the note's presets: each rule's
// rows are in table(), in order; each of its names parses to that rule or, if the
// name needs arguments, throws naming the spec; its default value's canonical spec
// uses one of its names and round-trips.
template <class R>
void check_rule_entries(const std::vector<TableRow>& rows, std::size_t& next_row) {
  const std::string rule = spec_of(Rule{R{}});
  ASSERT_FALSE(R::entries().empty()) << rule;
  bool canonical_named = false;
  for (const auto& e : R::entries()) {
    ASSERT_LT(next_row, rows.size()) << e.row.name;
    EXPECT_EQ(rows[next_row].name, e.row.name);
    EXPECT_EQ(rows[next_row].distribution, e.row.distribution);
    ++next_row;
    // The row starts with the name and mentions each alias.
    EXPECT_EQ(e.row.name.rfind(std::string(e.names.front()), 0), 0u) << e.row.name;
    for (auto name : e.names) {
      const std::string n(name);
      EXPECT_NE(e.row.name.find(n), std::string::npos) << n << " is not in its row " << e.row.name;
      canonical_named = canonical_named || rule.rfind(n + ":", 0) == 0;
      try {
        EXPECT_TRUE(std::holds_alternative<R>(parse(n).rule())) << n;
      } catch (const std::invalid_argument& err) {
        EXPECT_EQ(std::string(err.what()).rfind(n + ": expected ", 0), 0u) << err.what();
      }
    }
  }
  EXPECT_TRUE(canonical_named) << rule;
  EXPECT_EQ(parse(rule).rule(), Rule{R{}}) << rule;
}

template <std::size_t... I>
void check_every_rule(const std::vector<TableRow>& rows, std::size_t& next_row,
                      std::index_sequence<I...>) {
  (check_rule_entries<std::variant_alternative_t<I, Rule>>(rows, next_row), ...);
}

TEST(Registry, IteratesEveryRuleThenTheNotePresets) {
  const std::vector<TableRow> rows = table();
  std::size_t next_row = 0;
  check_every_rule(rows, next_row, std::make_index_sequence<std::variant_size_v<Rule>>{});
  for (const auto& e : note_presets()) {
    ASSERT_LT(next_row, rows.size());
    EXPECT_EQ(rows[next_row++].name, e.row.name);
    for (auto name : e.names) EXPECT_EQ(parse(name).rule(), e.parse(SpecArgs(name))) << name;
  }
  EXPECT_EQ(next_row, rows.size());
}

}  // namespace
}  // namespace initlab::init
