import IdentityPassCore
import IdentityPassKit
import SwiftUI

/// The drawn head doing the `action` the liveness challenge asks for, in a loop: the core's
/// `actionFigure` at each display frame's time since the action (its `index` in the sequence)
/// appeared, placed by the kit. Hidden from VoiceOver: the instruction's text says the same and
/// is announced. With Reduce Motion on it holds the action still.
struct ActionFigureView: View {
    let action: Action
    let index: UInt32
    @Environment(\.accessibilityReduceMotion) private var reduceMotion
    @State private var shownAt = Date.now

    var body: some View {
        TimelineView(.animation(paused: reduceMotion)) { timeline in
            Canvas { context, size in
                let sinceShown = max(timeline.date.timeIntervalSince(shownAt), 0)
                let figure = PlacedActionFigure(
                    actionFigure(action: action, sinceShownMs: UInt64(sinceShown * 1000), reduceMotion: reduceMotion), in: size)
                let stroke = StrokeStyle(lineWidth: 3, lineCap: .round)
                context.opacity = figure.opacity
                context.stroke(Path(ellipseIn: figure.head), with: .foreground, style: stroke)
                for eye in figure.eyes {
                    context.fill(Path(ellipseIn: eye), with: .foreground)
                }
                context.stroke(path(figure.features), with: .foreground, style: stroke)
                context.stroke(path(figure.arrows), with: .color(.accentColor), style: stroke)
            }
        }
        .onChange(of: index) { shownAt = .now }
        .accessibilityHidden(true)
    }

    private func path(_ lines: [PlacedActionFigure.Line]) -> Path {
        Path { path in
            for line in lines {
                path.move(to: line.from)
                path.addLine(to: line.to)
            }
        }
    }
}
