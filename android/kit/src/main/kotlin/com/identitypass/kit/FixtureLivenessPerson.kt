package com.identitypass.kit

import com.identitypass.core.Action
import com.identitypass.core.LivenessState

/**
 * The person in front of the UI tests' fixture camera during the liveness step (an emulator has
 * no camera to film one, and a photograph cannot turn or blink, which is what the challenge
 * checks): told an action by the last verdict, they do it to the end (the fixture frames of
 * the selfie's head doing it and pausing after, `tests/make-camera-frames.sh`), then read the
 * screen again; if it still asks for the same action a second later, they do it again, as
 * people do. The core's
 * `simulated_person::ObedientPerson`, in fixture frames; the iOS kit has its twin.
 *
 * It only chooses the next frame's fixture: reading it and making its bytes unique are the
 * camera's. [frameExists] says whether a fixture of that name is there. Not thread-safe: the
 * fixture camera calls it from its one thread.
 */
class FixtureLivenessPerson(frameExists: (String) -> Boolean) {
    private val frameCounts: Map<Action, Int> =
        Action.entries.associateWith { action -> generateSequence(0) { it + 1 }.takeWhile { frameExists(frameName(action, it)) }.count() }
    private var doing: UInt? = null
    private val script = ArrayDeque<String>()
    private var waited = 0

    init {
        frameCounts.forEach { (action, count) -> require(count > 0) { "no fixture frames of $action: run tests/make-camera-frames.sh" } }
    }

    /** The fixture of the next frame, given the last verdict's [liveness] state (none: facing the camera). */
    fun nextFrame(liveness: LivenessState?): String {
        // A movement under way is finished first: nobody stops a turn halfway to blink.
        if (liveness is LivenessState.DoAction && script.isEmpty() && (doing != liveness.index || waited >= PATIENCE_FRAMES)) {
            doing = liveness.index
            waited = 0
            script.clear()
            repeat(frameCounts.getValue(liveness.action)) { script.addLast(frameName(liveness.action, it)) }
        }
        return script.removeFirstOrNull() ?: STEADY_FACE.also { waited += 1 }
    }

    companion object {
        /** The person facing the camera. */
        const val STEADY_FACE = "face_selfie_640x480.nv21"

        /** Frames (at ten a second) the person waits before doing an action again. */
        const val PATIENCE_FRAMES = 10

        /** Frame [number] (from 0) of doing [action] (`core/examples/action_frames.rs`). */
        fun frameName(action: Action, number: Int): String = "action_%s_%02d.nv21".format(action.name.lowercase(), number)
    }
}
