// The selection alone: solveKnapsack on profile-like units (sizes from a
// few bytes to several KiB, sample counts falling off like a real profile's)
// with a 128 KiB budget, at 1k, 10k and 100k units.
#include "plan/Selector.h"

#include <benchmark/benchmark.h>
#include <random>

namespace {

struct Instance {
  std::vector<uint64_t> Sizes;
  std::vector<double> Values;
};

Instance profileLike(size_t Units) {
  std::mt19937_64 Random(Units);
  std::lognormal_distribution<double> Size(5.0, 1.0); // median ~150 bytes
  Instance Result;
  for (size_t Rank = 1; Rank <= Units; ++Rank) {
    uint64_t Bytes = std::min<uint64_t>(uint64_t(Size(Random)) + 4, 16384);
    Result.Sizes.push_back((Bytes + 3) / 4 * 4);
    // Zipf-like samples over a random order of the units.
    Result.Values.push_back(1e6 / std::pow(double(Rank), 1.1));
  }
  std::shuffle(Result.Values.begin(), Result.Values.end(), Random);
  return Result;
}

void BM_Knapsack128KiB(benchmark::State &State) {
  Instance Units = profileLike(State.range(0));
  ramfit::Selection Chosen;
  for (auto _ : State) {
    Chosen = ramfit::solveKnapsack(Units.Sizes, Units.Values, 128 * 1024, 4);
    benchmark::DoNotOptimize(Chosen.Value);
  }
  State.counters["chosen"] = double(Chosen.Chosen.size());
  State.counters["bytes"] = double(Chosen.Bytes);
  // The optimum, checked against the whole table where it fits in memory.
  if (State.range(0) <= 10000) {
    std::vector<double> Best;
    double Whole =
        ramfit::solveKnapsack(Units.Sizes, Units.Values, 128 * 1024, 4, &Best)
            .Value;
    State.counters["exact"] = std::abs(Whole - Chosen.Value) <= 1e-9 * Whole;
  }
}
BENCHMARK(BM_Knapsack128KiB)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond);

/// The whole table, as the coverage curve needs it: the cost the reduction
/// saves.
void BM_KnapsackWholeTable128KiB(benchmark::State &State) {
  Instance Units = profileLike(State.range(0));
  std::vector<double> Best;
  for (auto _ : State)
    benchmark::DoNotOptimize(
        ramfit::solveKnapsack(Units.Sizes, Units.Values, 128 * 1024, 4, &Best)
            .Value);
}
BENCHMARK(BM_KnapsackWholeTable128KiB)
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
