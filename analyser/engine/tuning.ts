// Every threshold of the balancing engine in one place, each with its unit and why it has its
// value. The house file sets the per-house knobs (analysis.dead_band_k, damping, max_step,
// max_changes, settle_h); these are the engine's own. The convergence bench's ablation
// (`npm run bench:convergence -- --ablate`) switches whole rules off (guards.ts); values here are
// changed only with a held-out bench run that shows the gain (docs/balancing.md).

export interface EngineTuning {
  /**
   * Confirmation: a circuit within its band at the last judgement and out by at most this many
   * bands now is held once. Unit: × the circuit's band. Why 2: spreads wander with the weather
   * and the heat pump's cycling; on a balanced house a single day's drift is far more often that
   * than a real change, while a jump past twice the band is real.
   */
  confirmationBands: number;
  /**
   * Hysteresis: a move that reverses the circuit's last change is held unless its error exceeds
   * this many bands. Unit: × band. Why 2: reversing is where oscillation starts; the same
   * "clearly real" threshold as confirmation.
   */
  reversalBands: number;
  /** A reversal that goes ahead moves with this share of γ. Unit: 1. Why ½: back half-way, not across again. */
  reversalDampingShare: number;
  /**
   * Index throttle: the manifold is scaled for a circuit whose valve cannot give its wanted flow
   * only when that circuit is out by more than this many bands. Unit: × band. Why 2: throttling
   * every other circuit moves the whole manifold's head and mean; for a smaller error it cost a
   * change on every circuit (example house: ten changes a day for 0.6 K).
   */
  indexBands: number;
  /**
   * A cabinet counts as visited for a real imbalance when some circuit is out by more than this
   * many bands. Unit: × band. Why 2: a visit for a mere drift would fine-tune a balanced house
   * cabinet by cabinet.
   */
  cabinetVisitBands: number;
  /**
   * At a visited cabinet, circuits out by more than this share of their band are set too. Unit:
   * × band. Why 0.6: left for another day they cost another walk, and the others' moves shift the
   * manifold's mean towards them or away.
   */
  cabinetBandShare: number;
  /**
   * A circuit wanting more flow triggers a visit only if its valve gives at least this factor
   * more fully open. Unit: flow ratio. Why 1.05: below it the change is within what a person
   * can set and read (5 %).
   */
  visitHeadroom: number;
  /**
   * A flow meter's step cap is max_step × (1 + this). Unit: 1. Why 1: its flow is read off, so
   * the NTU model's wanted flow is close; capping it like a modelled lockshield only cost rounds.
   */
  knownFlowExtraStep: number;
  /**
   * The smallest settable meter move is taken when the wanted flow is at least this share of
   * that move away. Unit: 1. Why ¾: never past the target by much, and never one step short for
   * good.
   */
  smallestMoveShare: number;
  /** A person reads a meter to this share of its flow. Unit: 1. Why 5 %: the scale's legibility (domain §5). */
  readShare: number;
  /** Flow changes below max(this, readShare × flow) are no change. Unit: l/min. Why 0.1: a meter's scale step. */
  flowDeadBandLpm: number;
  /** The smallest lockshield setting a person makes. Unit: turns. Why ⅛: the eighths a person can count. */
  eighthTurns: number;
  /**
   * Rounds of choosing a day's lockshield turns and predicting the head they leave. Unit: count.
   * Why 3: the choice and the head settle within two passes on every bench house; one more is cheap.
   */
  headPasses: number;
  /**
   * Between manifolds: a manifold is under-supplied when its mean spread exceeds the others' by
   * more than this share of theirs. Unit: 1. Why 0.25: whole manifolds' means differ by up to a
   * third with the rooms they heat.
   */
  underSupplyShare: number;
  /** …and by more than this many dead bands. Unit: × dead band. Why 2: beyond any one circuit's band. */
  underSupplyBands: number;
  /** Room-temperature policy: rooms within this of their target are left alone. Unit: K. Why 0.3: domain §5. */
  roomDeadBandK: number;
  /**
   * No flow reaches an output at or above this share of the floor's ceiling UA·(θ_V − θ_i).
   * Unit: 1. Why 0.95: the wanted flow there is more than ~3× today's.
   */
  hopelessRatio: number;
  /**
   * Above this share of the ceiling, a circuit whose valve cannot give the wanted flow is
   * "cannot fix". Unit: 1. Why 0.85: domain §5.
   */
  cannotFixRatio: number;
  /** A measured spread below this (down to lowestPlausibleSpreadK) is judged at this value. Unit: K. Why 0.1: the sensors' accuracy. */
  nearZeroSpreadK: number;
  /** Below this a measured spread is a sensor or mapping fault. Unit: K. Why −1: beyond any clamped sensor's bias. */
  lowestPlausibleSpreadK: number;
  /** Room temperature assumed without a setpoint or a sensor. Unit: °C. */
  defaultRoomC: number;
}

export const ENGINE_TUNING: Readonly<EngineTuning> = Object.freeze({
  confirmationBands: 2,
  reversalBands: 2,
  reversalDampingShare: 0.5,
  indexBands: 2,
  cabinetVisitBands: 2,
  cabinetBandShare: 0.6,
  visitHeadroom: 1.05,
  knownFlowExtraStep: 1,
  smallestMoveShare: 0.75,
  readShare: 0.05,
  flowDeadBandLpm: 0.1,
  eighthTurns: 1 / 8,
  headPasses: 3,
  underSupplyShare: 0.25,
  underSupplyBands: 2,
  roomDeadBandK: 0.3,
  hopelessRatio: 0.95,
  cannotFixRatio: 0.85,
  nearZeroSpreadK: 0.1,
  lowestPlausibleSpreadK: -1,
  defaultRoomC: 20,
});
