#include "plan/Knapsack.h"

#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"
#include <algorithm>
#include <numeric>

using namespace llvm;

namespace ramfit {

std::vector<size_t> byDensity(ArrayRef<uint64_t> Sizes,
                              ArrayRef<double> Values) {
  std::vector<size_t> Order(Sizes.size());
  std::iota(Order.begin(), Order.end(), 0);
  llvm::stable_sort(Order, [&](size_t A, size_t B) {
    return Values[A] * Sizes[B] > Values[B] * Sizes[A];
  });
  return Order;
}

/// The dynamic program over the items listed in Items, exact for sizes that
/// are multiples of Step. O(items x min(capacity, their bytes) / Step) time
/// and bits: a capacity beyond what the items take together changes nothing,
/// so a budget of a gigabyte costs what one of their total does.
static Selection solveByTable(ArrayRef<uint64_t> Sizes, ArrayRef<double> Values,
                              ArrayRef<size_t> Items, uint64_t Capacity,
                              uint64_t Step, std::vector<double> *BestByStep) {
  // Only items that can be taken get a row of the decision table, one
  // flat bit vector: row R, column C says item Usable[R] is in the best
  // choice of the items up to it at capacity C.
  std::vector<size_t> Usable;
  uint64_t Total = 0;
  for (size_t I : Items)
    if (Sizes[I] <= Capacity && Values[I] > 0) {
      Usable.push_back(I);
      Total += Sizes[I];
    }
  size_t Cells = std::min(Capacity, Total) / Step + 1;
  std::vector<double> Best(Cells, 0.0);
  BitVector Took(Usable.size() * Cells);
  for (size_t Row = 0; Row < Usable.size(); ++Row) {
    size_t I = Usable[Row];
    size_t Weight = Sizes[I] / Step;
    for (size_t C = Cells; C-- > Weight;) {
      double With = Best[C - Weight] + Values[I];
      if (With > Best[C]) {
        Best[C] = With;
        Took.set(Row * Cells + C);
      }
    }
  }
  Selection Result;
  size_t C = Cells - 1;
  for (size_t Row = Usable.size(); Row-- > 0;) {
    if (!Took.test(Row * Cells + C))
      continue;
    size_t I = Usable[Row];
    Result.Chosen.push_back(I);
    Result.Bytes += Sizes[I];
    Result.Value += Values[I];
    C -= Sizes[I] / Step;
  }
  if (BestByStep)
    *BestByStep = std::move(Best);
  return Result;
}

namespace {

/// Items whose place in every optimum the LP bound settles, and the rest.
struct Reduction {
  std::vector<size_t> Taken;
  std::vector<size_t> Open;
  uint64_t TakenBytes = 0;
};

} // namespace

/// Dembo and Hammer's reduction: with items by density, the LP relaxation
/// takes them whole up to the break item and a fraction of it. Forcing an
/// item out of (or into) that solution costs at least its value less
/// (more) its size at the break density; when the bound that leaves is
/// below a solution already in hand, no optimum has the item that way.
/// What stays open is the few items near the break density, so the table
/// is small even for 100k units.
static Reduction reduceByBounds(ArrayRef<uint64_t> Sizes,
                                ArrayRef<double> Values, uint64_t Capacity,
                                ArrayRef<size_t> Order) {
  Reduction Result;
  std::vector<size_t> Candidates;
  for (size_t I : Order)
    if (Values[I] > 0 && Sizes[I] <= Capacity)
      Candidates.push_back(I);
  uint64_t Used = 0;
  double LpValue = 0;
  size_t Break = 0;
  while (Break < Candidates.size() &&
         Used + Sizes[Candidates[Break]] <= Capacity) {
    Used += Sizes[Candidates[Break]];
    LpValue += Values[Candidates[Break]];
    ++Break;
  }
  if (Break == Candidates.size() || Sizes[Candidates[Break]] == 0) {
    Result.Open = Candidates;
    return Result;
  }
  double Density = Values[Candidates[Break]] / double(Sizes[Candidates[Break]]);
  double Upper = LpValue + double(Capacity - Used) * Density;
  // The greedy solution, skipping what does not fit, is the bound to beat.
  double Lower = LpValue;
  for (size_t K = Break, Room = Capacity - Used; K < Candidates.size(); ++K)
    if (Sizes[Candidates[K]] <= Room) {
      Room -= Sizes[Candidates[K]];
      Lower += Values[Candidates[K]];
    }
  // Rounding must never settle an item that an optimum might do otherwise.
  double Settled = Lower - 1e-9 * std::max(1.0, Upper);
  for (size_t K = 0; K < Candidates.size(); ++K) {
    size_t I = Candidates[K];
    double Swing = Values[I] - double(Sizes[I]) * Density;
    if (K < Break && Upper - Swing < Settled) {
      Result.Taken.push_back(I);
      Result.TakenBytes += Sizes[I];
    } else if (K < Break || K == Break || Upper + Swing >= Settled) {
      Result.Open.push_back(I);
    }
  }
  return Result;
}

Selection solveKnapsack(ArrayRef<uint64_t> Sizes, ArrayRef<double> Values,
                        uint64_t Capacity, uint64_t Step,
                        std::vector<double> *BestByStep) {
  std::vector<size_t> Order = byDensity(Sizes, Values);
  // The best value at every capacity needs the whole table.
  if (BestByStep) {
    Selection Result =
        solveByTable(Sizes, Values, Order, Capacity, Step, BestByStep);
    llvm::sort(Result.Chosen);
    return Result;
  }
  Reduction Reduced = reduceByBounds(Sizes, Values, Capacity, Order);
  Selection Result = solveByTable(Sizes, Values, Reduced.Open,
                                  Capacity - Reduced.TakenBytes, Step, nullptr);
  for (size_t I : Reduced.Taken) {
    Result.Chosen.push_back(I);
    Result.Bytes += Sizes[I];
    Result.Value += Values[I];
  }
  llvm::sort(Result.Chosen);
  return Result;
}

uint64_t commonStep(ArrayRef<uint64_t> Sizes) {
  uint64_t Step = 0;
  for (uint64_t Size : Sizes)
    Step = std::gcd(Step, Size);
  return Step ? Step : 1;
}

Selection greedyByDensity(ArrayRef<uint64_t> Sizes, ArrayRef<double> Values,
                          uint64_t Capacity) {
  Selection Result;
  for (size_t I : byDensity(Sizes, Values)) {
    if (Values[I] <= 0 || Result.Bytes + Sizes[I] > Capacity)
      continue;
    Result.Chosen.push_back(I);
    Result.Bytes += Sizes[I];
    Result.Value += Values[I];
  }
  return Result;
}

} // namespace ramfit
