#include "models/analysis/markov_chain.h"

#include <Eigen/SparseLU>
#include <cmath>
#include <deque>
#include <stdexcept>
#include <string>
#include <utility>

namespace cbsim::models::analysis {

namespace {

// Looser than rounding (a model's probabilities such as gamma (1 - alpha) sum to 1
// only up to a few ulps), far tighter than any modelling mistake.
constexpr double kRowSumTolerance = 1e-9;

std::string state_name(int s) { return "state " + std::to_string(s); }

using ColumnMatrix = Eigen::SparseMatrix<double>;  // SparseLU wants column-major storage

template <typename Rhs>
Rhs solve_sparse(const ColumnMatrix& a, const Rhs& rhs, const char* what) {
  Eigen::SparseLU<ColumnMatrix, Eigen::COLAMDOrdering<int>> lu;
  lu.compute(a);
  // The callers check the structure that makes their systems non-singular, so a
  // failure here is numerical (a pivot that vanished), not a bad model.
  if (lu.info() != Eigen::Success) throw std::runtime_error(std::string("MarkovChain: ") + what + ": LU failed");
  Rhs x = lu.solve(rhs);
  if (lu.info() != Eigen::Success) throw std::runtime_error(std::string("MarkovChain: ") + what + ": solve failed");
  return x;
}

}  // namespace

MarkovChain::MarkovChain(int states, const std::vector<Transition>& transitions) {
  if (states < 1) throw std::invalid_argument("MarkovChain: needs at least one state");
  std::vector<Eigen::Triplet<double>> triplets;
  triplets.reserve(transitions.size());
  for (const auto& t : transitions) {
    if (t.from < 0 || t.from >= states || t.to < 0 || t.to >= states)
      throw std::invalid_argument("MarkovChain: transition " + std::to_string(t.from) + " -> " +
                                  std::to_string(t.to) + " leaves the states 0.." + std::to_string(states - 1));
    if (!std::isfinite(t.probability) || t.probability < 0)
      throw std::invalid_argument("MarkovChain: " + state_name(t.from) + ": transition to " + std::to_string(t.to) +
                                  " has probability " + std::to_string(t.probability));
    // A zero-probability event is no edge: reachability must not count it.
    if (t.probability > 0) triplets.emplace_back(t.from, t.to, t.probability);
  }
  matrix_.resize(states, states);
  matrix_.setFromTriplets(triplets.begin(), triplets.end());  // sums duplicates
  predecessors_.assign(states, {});
  for (int i = 0; i < states; ++i) {
    double sum = 0;
    for (Matrix::InnerIterator it(matrix_, i); it; ++it) {
      sum += it.value();
      predecessors_[it.col()].push_back(i);
    }
    if (std::abs(sum - 1.0) > kRowSumTolerance)
      throw std::invalid_argument("MarkovChain: " + state_name(i) + ": outgoing probabilities sum to " +
                                  std::to_string(sum) + ", not 1");
  }
}

double MarkovChain::probability(int from, int to) const {
  if (from < 0 || from >= states() || to < 0 || to >= states())
    throw std::invalid_argument("MarkovChain: no transition " + std::to_string(from) + " -> " + std::to_string(to));
  return matrix_.coeff(from, to);
}

std::vector<char> MarkovChain::reaching(const std::vector<int>& targets, const std::vector<char>& through) const {
  std::vector<char> reached(states(), 0);
  std::deque<int> queue;
  for (int t : targets) {
    reached[t] = 1;
    queue.push_back(t);
  }
  while (!queue.empty()) {
    const int j = queue.front();
    queue.pop_front();
    for (int i : predecessors_[j]) {
      if (!reached[i] && through[i]) {
        reached[i] = 1;
        queue.push_back(i);
      }
    }
  }
  return reached;
}

Eigen::MatrixXd MarkovChain::absorption_probabilities(const std::vector<int>& transient,
                                                      const std::vector<int>& absorbing) const {
  // position[s]: s's row in B (transient) or column in B (absorbing), and which.
  enum class Role : char { none, transient, absorbing };
  std::vector<Role> role(states(), Role::none);
  std::vector<int> position(states(), -1);
  auto assign = [&](const std::vector<int>& list, Role r) {
    for (int k = 0; k < static_cast<int>(list.size()); ++k) {
      const int s = list[k];
      if (s < 0 || s >= states()) throw std::invalid_argument("MarkovChain: " + state_name(s) + " is out of range");
      if (role[s] != Role::none)
        throw std::invalid_argument("MarkovChain: " + state_name(s) + " is listed twice (transient/absorbing)");
      role[s] = r;
      position[s] = k;
    }
  };
  assign(transient, Role::transient);
  assign(absorbing, Role::absorbing);

  const auto nt = static_cast<Eigen::Index>(transient.size());
  const auto na = static_cast<Eigen::Index>(absorbing.size());
  std::vector<Eigen::Triplet<double>> i_minus_q;
  Eigen::MatrixXd r = Eigen::MatrixXd::Zero(nt, na);
  for (Eigen::Index k = 0; k < nt; ++k) {
    i_minus_q.emplace_back(k, k, 1.0);
    for (Matrix::InnerIterator it(matrix_, transient[k]); it; ++it) {
      const int to = static_cast<int>(it.col());
      if (role[to] == Role::transient)
        i_minus_q.emplace_back(k, position[to], -it.value());
      else if (role[to] == Role::absorbing)
        r(k, position[to]) += it.value();
      else
        throw std::invalid_argument("MarkovChain: " + state_name(transient[k]) + " moves to " + state_name(to) +
                                    ", which is neither transient nor absorbing");
    }
  }
  // I - Q is invertible exactly when every transient state reaches the absorbing
  // set; otherwise some transient states form a closed class and B is undefined.
  std::vector<char> is_transient(states(), 0);
  for (int s : transient) is_transient[s] = 1;
  const auto reaches = reaching(absorbing, is_transient);
  for (int s : transient)
    if (!reaches[s]) throw std::invalid_argument("MarkovChain: " + state_name(s) + " never reaches an absorbing state");
  if (nt == 0) return r;

  ColumnMatrix a(nt, nt);
  a.setFromTriplets(i_minus_q.begin(), i_minus_q.end());
  return solve_sparse(a, r, "absorption probabilities");
}

Eigen::VectorXd MarkovChain::stationary_distribution() const {
  const int n = states();
  // A state of a closed class (one the chain cannot leave): the state that finishes
  // last in a depth-first search of the reversed graph lies in a source component of
  // that graph, i.e. a closed class of the chain (Kosaraju's argument). The class is
  // the only closed one exactly when every state can reach it.
  int last_finished = 0;
  {
    std::vector<char> seen(n, 0);
    std::vector<std::pair<int, std::size_t>> stack;  // state, next predecessor to visit
    for (int root = 0; root < n; ++root) {
      if (seen[root]) continue;
      seen[root] = 1;
      stack.emplace_back(root, 0);
      while (!stack.empty()) {
        const int v = stack.back().first;
        const std::size_t next = stack.back().second;
        if (next < predecessors_[v].size()) {
          ++stack.back().second;
          const int w = predecessors_[v][next];
          if (!seen[w]) {
            seen[w] = 1;
            stack.emplace_back(w, 0);
          }
        } else {
          last_finished = v;
          stack.pop_back();
        }
      }
    }
  }
  const auto reaches = reaching({last_finished}, std::vector<char>(n, 1));
  for (int s = 0; s < n; ++s)
    if (!reaches[s])
      throw std::invalid_argument("MarkovChain: more than one closed class (" + state_name(s) + " cannot reach " +
                                  state_name(last_finished) + "): no unique stationary distribution");

  // Balance equations pi (P - I) = 0 as (P^T - I) pi^T = 0. With one closed class the
  // equations have rank n - 1 and their only dependency is their sum, so any one can
  // go. The one of a state k of the closed class is replaced by pi_k = 1 (k has mass,
  // so this fixes the scale), and pi is normalised afterwards: unlike sum(pi) = 1 in
  // its place, that row keeps the matrix sparse (a dense row fills the LU factors).
  const int k = last_finished;
  std::vector<Eigen::Triplet<double>> triplets;
  triplets.reserve(matrix_.nonZeros() + n);
  for (int i = 0; i < n; ++i) {
    for (Matrix::InnerIterator it(matrix_, i); it; ++it)
      if (it.col() != k) triplets.emplace_back(it.col(), i, it.value());
    triplets.emplace_back(i, i, i == k ? 1.0 : -1.0);
  }
  ColumnMatrix a(n, n);
  a.setFromTriplets(triplets.begin(), triplets.end());
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(n);
  rhs(k) = 1.0;
  const Eigen::VectorXd unnormalised = solve_sparse(a, rhs, "stationary distribution");
  return unnormalised / unnormalised.sum();
}

}  // namespace cbsim::models::analysis
