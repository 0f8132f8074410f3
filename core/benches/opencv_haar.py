#!/usr/bin/env python3
"""OpenCV's Haar cascade on the benchmark's frames, for the side-by-side comparison.

Called by `cargo bench -p identity-pass-core --bench selfie_analysis` with the venv's python:
    opencv_haar.py ROUNDS MIN_FACE_FRACTION SCALE FRAME.png [FRAME.png ...]
MIN_FACE_FRACTION: the smallest face, as a fraction of each frame's width (the same minimum our
engine finds); SCALE: the pyramid step (OpenCV's scaleFactor).
Prints one line per frame: `<path> <median ms> <faces>`. Single-threaded (cv2.setNumThreads(1))
to match our one-thread figure. Install: pip install 'opencv-python-headless<5'.
"""

import statistics
import sys
import time

import cv2


def main() -> None:
    cv2.setNumThreads(1)
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    rounds = int(sys.argv[1])
    min_fraction = float(sys.argv[2])
    scale = float(sys.argv[3])
    for path in sys.argv[4:]:
        gray = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
        side = round(min_fraction * gray.shape[1])
        faces = cascade.detectMultiScale(gray, scaleFactor=scale, minNeighbors=5, minSize=(side, side))
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            faces = cascade.detectMultiScale(gray, scaleFactor=scale, minNeighbors=5, minSize=(side, side))
            times.append((time.perf_counter() - start) * 1000)
        print(f"{path} {statistics.median(times):.3f} {len(faces)}")


if __name__ == "__main__":
    main()
