#!/usr/bin/env python3
"""OpenCV's Haar cascade on the benchmark's frames, for the side-by-side comparison.

Called by `cargo bench -p identity-pass-core --bench selfie_analysis` with the venv's python:
    opencv_haar.py ROUNDS FRAME.png [FRAME.png ...]
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
    for path in sys.argv[2:]:
        gray = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
        faces = cascade.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5, minSize=(40, 40))
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            faces = cascade.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5, minSize=(40, 40))
            times.append((time.perf_counter() - start) * 1000)
        print(f"{path} {statistics.median(times):.3f} {len(faces)}")


if __name__ == "__main__":
    main()
