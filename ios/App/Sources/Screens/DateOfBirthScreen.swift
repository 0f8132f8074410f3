import IdentityPassCore
import SwiftUI

/// The date of birth, year first, then month, then day: each list is enabled when the core
/// says, and the days are as many as the core counts for that month. Each choice goes to the
/// core at once; month and day names are the system's, in the user's language. Each list is
/// labelled by the core, and shows its label until something is chosen.
struct DateOfBirthScreen: View {
    let view: ViewState
    let year: Int32?
    let month: UInt32?
    let day: UInt32?
    let firstYear: Int32
    let lastYear: Int32
    let monthEnabled: Bool
    let dayEnabled: Bool
    let daysInMonth: UInt32
    @Environment(OnboardingModel.self) private var model

    var body: some View {
        ScreenChrome(view: view) {
            VStack(alignment: .leading, spacing: 12) {
                Picker(selection: choice(year) { model.send(.dobYearSelected(year: $0)) }) {
                    Text(model.label(.birthYearField)).tag(Int32?.none)
                    if firstYear <= lastYear {
                        ForEach(Array((firstYear...lastYear).reversed()), id: \.self) { year in
                            Text(Int(year), format: .number.grouping(.never)).tag(Int32?.some(year))
                        }
                    }
                } label: { Text(model.label(.birthYearField)) }
                .accessibilityIdentifier("dob.year")

                Picker(selection: choice(month) { model.send(.dobMonthSelected(month: $0)) }) {
                    Text(model.label(.birthMonthField)).tag(UInt32?.none)
                    ForEach(Array(Calendar.current.standaloneMonthSymbols.enumerated()), id: \.offset) { index, name in
                        Text(name).tag(UInt32?.some(UInt32(index + 1)))
                    }
                } label: { Text(model.label(.birthMonthField)) }
                .disabled(!monthEnabled)
                .accessibilityIdentifier("dob.month")

                Picker(selection: choice(day) { model.send(.dobDaySelected(day: $0)) }) {
                    Text(model.label(.birthDayField)).tag(UInt32?.none)
                    if daysInMonth > 0 {
                        ForEach(Array(1...daysInMonth), id: \.self) { day in
                            Text(Int(day), format: .number).tag(UInt32?.some(day))
                        }
                    }
                } label: { Text(model.label(.birthDayField)) }
                .disabled(!dayEnabled)
                .accessibilityIdentifier("dob.day")
            }
            .pickerStyle(.menu)
        }
    }

    /// The core's value, and a choice sent to the core (the list shows what the core says next).
    private func choice<Value>(_ value: Value?, send: @escaping (Value) -> Void) -> Binding<Value?> {
        Binding(get: { value }, set: { if let chosen = $0 { send(chosen) } })
    }
}
