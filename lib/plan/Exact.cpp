//===- Exact.cpp - The best selection as the units are laid out -----------===//

#include "plan/Exact.h"
#include "plan/Knapsack.h"
#include "plan/Together.h"

#include "llvm/ADT/STLExtras.h"
#include <map>
#include <optional>
#include <set>

using namespace llvm;

namespace ramfit {

namespace {

/// Knapsack solutions the search may take: a few milliseconds each on a
/// large firmware.
constexpr unsigned MaxNodes = 200;
/// Below this much code in RAM a 'c.jal' between units there still reaches.
constexpr uint64_t CompressedCallReach = 2048;

enum class Decision : int8_t { Out = -1, Open = 0, In = 1 };

/// Where a call's target is: a candidate's position, pinned code, or
/// code that never moves.
constexpr int PinnedTarget = -2;
constexpr int StaysInFlash = -1;

struct Node {
  std::vector<Decision> Decided;
  /// Far targets whose veneer the node pays for.
  std::set<uint64_t> Veneers;
};

class Search {
public:
  explicit Search(const TogetherProblem &P) : P(P) {
    for (size_t Position = 0; Position < P.Candidates.size(); ++Position)
      PositionOf[P.Candidates[Position]] = Position;
    LongCode = P.Budget >= CompressedCallReach;
    for (const PlacementUnit &Unit : P.Units) {
      CallOwners.emplace_back();
      for (const FarCall &Call : Unit.FarCalls)
        CallOwners.back().push_back(ownerOf(Call.Target));
      VeneerOwners.emplace_back();
      for (uint64_t Target : Unit.VeneerTargets)
        VeneerOwners.back().push_back(ownerOf(Target));
    }
  }

  void run(std::vector<size_t> &Best, double &BestValue) {
    this->Best = &Best;
    this->BestValue = &BestValue;
    Node Root;
    Root.Decided.assign(P.Candidates.size(), Decision::Open);
    visit(Root);
  }

private:
  const TogetherProblem &P;
  std::map<size_t, size_t> PositionOf;
  /// ownerOf each unit's far calls and veneer targets, in their order.
  std::vector<std::vector<int>> CallOwners, VeneerOwners;
  bool LongCode = false;
  unsigned Nodes = 0;
  std::vector<size_t> *Best = nullptr;
  double *BestValue = nullptr;

  /// The candidate position or pinned unit whose code holds Target.
  int ownerOf(uint64_t Target) const {
    for (size_t I = 0; I < P.Units.size(); ++I)
      if (llvm::any_of(P.Units[I].Code, [&](const AddressRange &Range) {
            return Range.contains(Target);
          })) {
        if (llvm::is_contained(P.Pinned, I))
          return PinnedTarget;
        auto Found = PositionOf.find(I);
        return Found == PositionOf.end() ? StaysInFlash : int(Found->second);
      }
    return StaysInFlash;
  }

  /// The least the unit takes under the node's decisions: its calls to code
  /// that may be in RAM as short as they get, no veneer of its own.
  uint64_t leastSize(size_t I, const Node &N) const {
    const PlacementUnit &Unit = P.Units[I];
    uint64_t Size = Unit.Size - Unit.VeneerTargets.size() * Unit.VeneerBytes;
    if (Unit.Pieces.empty())
      return Size;
    for (size_t C = 0; C < Unit.FarCalls.size(); ++C) {
      const FarCall &Call = Unit.FarCalls[C];
      Size -= Call.Growth;
      int Owner = CallOwners[I][C];
      if (Owner == StaysInFlash ||
          (Owner >= 0 && N.Decided[Owner] == Decision::Out))
        Size += Call.Growth;
      else if (LongCode)
        Size += Call.GrowthToRam;
    }
    return Size;
  }

  std::vector<size_t> layout(const std::vector<bool> &Taken) const {
    std::vector<size_t> Units(P.Pinned.begin(), P.Pinned.end());
    for (size_t Position : P.LayoutOrder)
      if (Taken[Position])
        Units.push_back(P.Candidates[Position]);
    return Units;
  }

  /// A decision the set Taken got wrong in the bound, to branch on: a
  /// callee or veneer target it counted in RAM that is not.
  std::optional<std::pair<int, uint64_t>>
  wrongGuess(const std::vector<bool> &Taken, const Node &N) const {
    auto InSet = [&](int Owner) {
      return Owner == PinnedTarget || (Owner >= 0 && Taken[Owner]);
    };
    // A call to a callee left out was counted grown already.
    auto Check = [&](size_t I) -> std::optional<std::pair<int, uint64_t>> {
      const PlacementUnit &Unit = P.Units[I];
      for (size_t C = 0; C < Unit.FarCalls.size(); ++C) {
        int Owner = CallOwners[I][C];
        if (Owner >= 0 && !InSet(Owner) && N.Decided[Owner] == Decision::Open)
          return std::make_pair(Owner, Unit.FarCalls[C].Target);
      }
      for (size_t V = 0; V < Unit.VeneerTargets.size(); ++V) {
        int Owner = VeneerOwners[I][V];
        uint64_t Target = Unit.VeneerTargets[V];
        if (!InSet(Owner) && !N.Veneers.count(Target))
          return std::make_pair(Owner, Target);
      }
      return std::nullopt;
    };
    for (size_t I : P.Pinned)
      if (auto Guess = Check(I))
        return Guess;
    for (size_t Position = 0; Position < Taken.size(); ++Position)
      if (Taken[Position])
        if (auto Guess = Check(P.Candidates[Position]))
          return Guess;
    return std::nullopt;
  }

  void visit(const Node &N) {
    if (++Nodes > MaxNodes)
      return;
    uint64_t Fixed = N.Veneers.size() * veneerBytes(P.Units);
    for (size_t I : P.Pinned)
      Fixed += leastSize(I, N);
    double Value = 0;
    std::vector<size_t> Open;
    std::vector<uint64_t> Sizes;
    std::vector<double> Values;
    for (size_t Position = 0; Position < P.Candidates.size(); ++Position) {
      uint64_t Size = leastSize(P.Candidates[Position], N);
      if (N.Decided[Position] == Decision::In) {
        Fixed += Size;
        Value += P.Benefits[Position];
      } else if (N.Decided[Position] == Decision::Open) {
        Open.push_back(Position);
        Sizes.push_back(Size);
        Values.push_back(P.Benefits[Position]);
      }
    }
    if (Fixed > P.Budget)
      return;
    Selection Picked =
        solveKnapsack(Sizes, Values, P.Budget - Fixed, commonStep(Sizes));
    // The most any set under this node covers: no better than the best.
    if (Value + Picked.Value <= *BestValue * (1 + 1e-12))
      return;
    std::vector<bool> Taken(P.Candidates.size());
    for (size_t Position = 0; Position < P.Candidates.size(); ++Position)
      Taken[Position] = N.Decided[Position] == Decision::In;
    for (size_t I : Picked.Chosen)
      Taken[Open[I]] = true;
    if (bytesTogether(P.Units, layout(Taken)) <= P.Budget) {
      Best->clear();
      for (size_t Position = 0; Position < Taken.size(); ++Position)
        if (Taken[Position])
          Best->push_back(Position);
      *BestValue = Value + Picked.Value;
      return;
    }
    std::optional<std::pair<int, uint64_t>> Guess = wrongGuess(Taken, N);
    // Without one, padding or the reach of 'c.jal' made it not fit, which
    // the bound does not count: the node ends without a set.
    if (!Guess)
      return;
    auto [Owner, Target] = *Guess;
    if (Owner >= 0 && N.Decided[Owner] == Decision::Open) {
      // Take the callee along, or leave it and count the calls to it grown.
      for (Decision D : {Decision::In, Decision::Out}) {
        Node Child = N;
        Child.Decided[Owner] = D;
        visit(Child);
      }
      return;
    }
    // A target that stays in flash: its veneer is paid once, by a node
    // that keeps every caller in flash or pays for it.
    Node Pays = N;
    Pays.Veneers.insert(Target);
    visit(Pays);
    std::vector<size_t> Callers;
    for (size_t Position = 0; Position < Taken.size(); ++Position)
      if (Taken[Position] &&
          llvm::is_contained(P.Units[P.Candidates[Position]].VeneerTargets,
                             Target))
        Callers.push_back(Position);
    Node Without = N;
    for (size_t Position : Callers) {
      if (N.Decided[Position] == Decision::In)
        return; // a chosen caller: the veneer must be paid
      Without.Decided[Position] = Decision::Out;
    }
    if (!Callers.empty())
      visit(Without);
  }
};

} // namespace

void searchTogether(const TogetherProblem &Problem, std::vector<size_t> &Best,
                    double &BestValue) {
  Search(Problem).run(Best, BestValue);
}

} // namespace ramfit
