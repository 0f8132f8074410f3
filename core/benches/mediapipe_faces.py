#!/usr/bin/env python3
"""MediaPipe's own face detector (0.10.14, short-range BlazeFace, its Python API) on our frames.

Two uses (add --full-range first to use MediaPipe's full-range model instead of the short-range):
  mediapipe_faces.py DIR
      prints, for each DIR/*.jpg, the faces MediaPipe finds (box and eyes, in pixels): the
      reference table in core/tests/face_model.rs was made with it on core/tests/fixtures.
  mediapipe_faces.py --time ROUNDS FRAME.png [FRAME.png ...]
      prints `<path> <median ms> <faces>` per frame, for the benchmark
      (core/benches/selfie_analysis.rs runs it under `taskset -c 0`: one core, like ours).
  mediapipe_faces.py --mesh --time ROUNDS FRAME.png [FRAME.png ...]
      the same for MediaPipe's FaceMesh solution in video mode (static_image_mode=False, one
      face, the same face_landmark model as ours): after the first frame it tracks from its own
      landmarks and runs the detector only when the face is lost, so a frame's time is its
      whole per-frame pipeline on a face it follows.
  mediapipe_faces.py [--full-range] --serve FRAME.png [FRAME.png ...]
      stays running for short turns with our detector: prints `ready` once every frame's
      solution is set up, then for each line `<frame index> <runs>` on stdin runs that many
      and prints `<faces> <ms> <ms> ...` (the benchmark's detector table: on a machine whose
      speed drifts, turns of a few frames each land both sides in the same spells).

Install (scripts/bench-selfie.sh does it, in its own venv): pip install --no-deps
mediapipe==0.10.14, then "numpy<2" "protobuf<5" absl-py attrs flatbuffers
"opencv-python-headless<5" matplotlib sounddevice (jax and opencv-contrib are declared by the
wheel but not needed by the face detector).
"""

import glob
import os
import statistics
import sys
import time

import cv2
import mediapipe as mp


MODEL = 0  # 0 short range, 1 full range
MESH = False  # time FaceMesh (video mode) instead of the detector


def detector():
    # min_detection_confidence 0.5 keeps what the model's own graph keeps (0.5 short, 0.6 full).
    return mp.solutions.face_detection.FaceDetection(model_selection=MODEL, min_detection_confidence=0.5)


def reference(directory: str) -> None:
    faces_of = detector()
    for path in sorted(glob.glob(os.path.join(directory, "*.jpg"))):
        image = cv2.imread(path)
        height, width = image.shape[:2]
        faces = faces_of.process(cv2.cvtColor(image, cv2.COLOR_BGR2RGB)).detections or []
        print(os.path.basename(path), width, height, len(faces))
        for face in faces:
            box = face.location_data.relative_bounding_box
            eyes = [(round(k.x * width, 1), round(k.y * height, 1)) for k in face.location_data.relative_keypoints[:2]]
            print(f"   score {face.score[0]:.3f} box x={box.xmin * width:.1f} y={box.ymin * height:.1f}"
                  f" w={box.width * width:.1f} h={box.height * height:.1f} eyes {eyes[0]} {eyes[1]}")


def mesh():
    return mp.solutions.face_mesh.FaceMesh(static_image_mode=False, max_num_faces=1, refine_landmarks=False)


def found(solution, rgb) -> list:
    result = solution.process(rgb)
    return (result.multi_face_landmarks if MESH else result.detections) or []


def timing(rounds: int, paths: list) -> None:
    for path in paths:
        rgb = cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB)
        # A fresh solution per frame set; its first call sets up the graph and is not timed.
        solution = mesh() if MESH else detector()
        faces = found(solution, rgb)
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            faces = found(solution, rgb)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{path} {statistics.median(times):.3f} {len(faces)}")


def serve(paths: list) -> None:
    frames = [cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB) for path in paths]
    # One solution per frame, as in timing(); the first call sets up each graph and is not timed.
    solutions = [mesh() if MESH else detector() for _ in frames]
    for solution, rgb in zip(solutions, frames):
        found(solution, rgb)
    print("ready", flush=True)
    for line in sys.stdin:
        index, runs = (int(word) for word in line.split())
        faces, times = [], []
        for _ in range(runs):
            start = time.perf_counter()
            faces = found(solutions[index], frames[index])
            times.append((time.perf_counter() - start) * 1000)
        print(len(faces), " ".join(f"{ms:.4f}" for ms in times), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "--full-range":
        MODEL = 1
        sys.argv.pop(1)
    if sys.argv[1] == "--mesh":
        MESH = True
        sys.argv.pop(1)
    if sys.argv[1] == "--serve":
        serve(sys.argv[2:])
    elif sys.argv[1] == "--time":
        timing(int(sys.argv[2]), sys.argv[3:])
    else:
        reference(sys.argv[1])
