#pragma once
// A small, general discrete-time Markov chain on Eigen, for the analytic baselines
// of the attack simulations (double-spend race, selfish mining). Those chains have a
// few hundred to a few thousand states but only a handful of transitions per state,
// so the transition matrix is kept sparse and every solve is a sparse LU: for a
// banded chain its cost grows about linearly with the states, where a dense solve
// would grow with their cube.

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <vector>

namespace cbsim::models::analysis {

struct Transition {
  int from;
  int to;
  double probability;
};

class MarkovChain {
public:
  using Matrix = Eigen::SparseMatrix<double, Eigen::RowMajor>;

  // Transitions between the same pair of states add up, so a model may list
  // separate events that lead to the same state. Throws std::invalid_argument when
  // `states` < 1, a state is out of range, a probability is negative or not finite,
  // or the probabilities out of a state do not sum to 1 (within 1e-9); the message
  // names the state.
  MarkovChain(int states, const std::vector<Transition>& transitions);

  int states() const { return static_cast<int>(matrix_.rows()); }
  double probability(int from, int to) const;
  const Matrix& matrix() const { return matrix_; }

  // B(i, j): probability that the chain, started in transient[i], first enters the
  // set `absorbing` at absorbing[j]; the solution of (I - Q) B = R with Q the
  // transitions among the transient states and R those into the absorbing ones.
  // The absorbing states need not be absorbing in the chain (B is a first-entry
  // distribution). Throws std::invalid_argument when the lists overlap, repeat or
  // leave the range, when a transient state can move to a state in neither list,
  // or when a transient state never reaches an absorbing one (I - Q is then singular).
  Eigen::MatrixXd absorption_probabilities(const std::vector<int>& transient,
                                           const std::vector<int>& absorbing) const;

  // The unique pi with pi P = pi and sum(pi) = 1: one balance equation (they are
  // linearly dependent) is replaced by fixing the scale. Requires exactly one closed
  // class of states (an irreducible chain, or one whose other states all lead into a
  // single closed class; those get probability 0); periodic chains are fine. Throws
  // std::invalid_argument otherwise, naming a state that cannot reach the closed class.
  Eigen::VectorXd stationary_distribution() const;

private:
  // States that can reach one of `targets` through states marked in `through`
  // (targets included): a backward breadth-first search over predecessors_.
  std::vector<char> reaching(const std::vector<int>& targets, const std::vector<char>& through) const;

  Matrix matrix_;
  std::vector<std::vector<int>> predecessors_;  // predecessors_[j]: states with P(i, j) > 0
};

}  // namespace cbsim::models::analysis
