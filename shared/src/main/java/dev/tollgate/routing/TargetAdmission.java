package dev.tollgate.routing;

import dev.tollgate.api.ApiError;

/**
 * What {@link FailoverPolicy} asks before each attempt: may this request be sent to this target
 * now? Limits answer it (a reservation per attempt, so a target whose own budget is spent is
 * skipped, not failed); without limits every target is admitted.
 */
public interface TargetAdmission {

  /** Admits every target and holds nothing. */
  TargetAdmission ALL =
      new TargetAdmission() {
        @Override
        public Decision admit(Target target) {
          return Decision.ADMIT;
        }

        @Override
        public void attemptFailed(Target target) {}
      };

  /** The answer for one target. */
  sealed interface Decision {
    /** Go ahead; whatever was reserved for it is held until the request completes. */
    Decision ADMIT = new Admit();

    /** Go ahead. */
    record Admit() implements Decision {}

    /** Not this target (its own limit is spent); {@code error} answers if no target is left. */
    record Skip(ApiError error) implements Decision {}

    /** Not any target: answer {@code error} now (a limit the request itself exceeds, a store down). */
    record Refuse(ApiError error) implements Decision {}
  }

  Decision admit(Target target);

  /** The admitted attempt on {@code target} failed; give back what it held before the next one. */
  void attemptFailed(Target target);
}
