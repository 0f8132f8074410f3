//! The shell's own words: CLI chrome only (prompts, progress, the narration of the scripted
//! reviewer and of the stand-in authenticator app and browser). Form fields carry the core's
//! labels (`Control`), as on the phones.
//! Everything the user reads about the onboarding itself — titles, bodies, buttons, notices,
//! camera guidance — comes from the core's catalog through the view.

use identity_pass_core::flow::control_label::Control;
use identity_pass_core::flow::permissions::Permission;
use identity_pass_core::messages::Locale;

use crate::call::ReviewerMediaSummary;

/// Chrome texts in the session's language.
#[derive(Debug, Clone, Copy)]
pub struct Chrome(pub Locale);

impl Chrome {
    /// A form control's label: the core's, as the phone apps show it.
    fn control(self, control: Control) -> String {
        control.label(self.0).text
    }

    fn pick(self, english: &str, chinese: &str) -> String {
        match self.0 {
            Locale::English => english.to_owned(),
            Locale::SimplifiedChinese => chinese.to_owned(),
        }
    }

    /// First line.
    pub fn banner(self, version: &str) -> String {
        self.pick("Identity Pass desktop shell", "Identity Pass 桌面版") + &format!(" · core {version}")
    }
    /// Which mode runs.
    pub fn mode(self, interactive: bool) -> String {
        if interactive {
            self.pick(
                "mode: interactive (you answer; a real reviewer acts in the console)",
                "模式：交互（由您作答；真实审核人在控制台操作）",
            )
        } else {
            self.pick(
                "mode: scripted (sample answers, a sample selfie, a scripted reviewer)",
                "模式：脚本（示例答案、示例自拍、脚本审核人）",
            )
        }
    }
    /// The service in use.
    pub fn service(self, url: &str, embedded: bool) -> String {
        if embedded {
            self.pick("service: embedded reference service at ", "服务：内嵌参考服务 ") + url
        } else {
            self.pick("service: ", "服务：") + url
        }
    }
    /// The camera in use.
    pub fn camera_source(self, source: &str) -> String {
        self.pick("camera: ", "摄像头：") + source
    }
    /// The bundled sample selfie.
    pub fn sample_selfie(self) -> String {
        self.pick("the bundled sample selfie (simulated 10 fps camera)", "内置示例自拍（模拟 10 帧/秒摄像头）")
    }
    /// A selfie file.
    pub fn selfie_file(self, path: &str) -> String {
        self.pick("photograph ", "照片 ") + path + &self.pick(" (simulated 10 fps camera)", "（模拟 10 帧/秒摄像头）")
    }
    /// The webcam.
    pub fn webcam(self) -> String {
        self.pick("the webcam", "网络摄像头")
    }
    /// A pressed button.
    pub fn pressed(self, label: &str) -> String {
        format!("▶ {label}")
    }
    /// A typed answer.
    pub fn typed(self, field: &str, value: &str) -> String {
        format!("✎ {field}: {value}")
    }
    /// Form labels.
    pub fn label_upn(self) -> String {
        self.control(Control::WorkEmailField)
    }
    /// Form label.
    pub fn label_employee_id(self) -> String {
        self.control(Control::EmployeeIdField)
    }
    /// Form label.
    pub fn label_personal_email(self) -> String {
        self.control(Control::PersonalEmailField)
    }
    /// Form label.
    pub fn label_staff_kind(self) -> String {
        self.pick("Staff (employee/external)", "人员类型（employee/external）")
    }
    /// Form label.
    pub fn label_consent(self) -> String {
        self.pick("Accept? (y/n)", "是否同意？(y/n)")
    }
    /// Date labels.
    pub fn label_year(self, first: i32, last: i32) -> String {
        self.control(Control::BirthYearField) + &format!(" ({first}–{last})")
    }
    /// Date label.
    pub fn label_month(self) -> String {
        self.control(Control::BirthMonthField) + " (1–12)"
    }
    /// Date label.
    pub fn label_day(self, days: u32) -> String {
        self.control(Control::BirthDayField) + &format!(" (1–{days})")
    }
    /// The interactive prompt for the main button.
    pub fn press_prompt(self, label: &str) -> String {
        match self.0 {
            Locale::English => format!("press Enter for \"{label}\", or type q to quit"),
            Locale::SimplifiedChinese => format!("按回车键执行“{label}”，输入 q 退出"),
        }
    }
    /// What the desktop answers for a permission prompt.
    pub fn permission_granted(self, permission: Permission) -> String {
        let name = match (permission, self.0) {
            (Permission::Camera, Locale::English) => "camera",
            (Permission::Microphone, Locale::English) => "microphone",
            (Permission::Notifications, Locale::English) => "notifications",
            (Permission::Location, Locale::English) => "precise location",
            (Permission::Camera, Locale::SimplifiedChinese) => "摄像头",
            (Permission::Microphone, Locale::SimplifiedChinese) => "麦克风",
            (Permission::Notifications, Locale::SimplifiedChinese) => "通知",
            (Permission::Location, Locale::SimplifiedChinese) => "精确位置",
        };
        match self.0 {
            Locale::English => format!("desktop: {name} granted (a desktop has no permission prompt)"),
            Locale::SimplifiedChinese => format!("桌面：已授予{name}（桌面没有权限弹窗）"),
        }
    }
    /// Camera status line.
    pub fn camera_frame(self, guidance: &str, good: u32, needed: u32) -> String {
        self.pick("camera: ", "摄像头：") + &format!("{guidance} [{good}/{needed}]")
    }
    /// Liveness status line.
    pub fn liveness_frame(self, instruction: &str, progress_percent: u32) -> String {
        self.pick("camera: ", "摄像头：") + &format!("{instruction} [{progress_percent}%]")
    }
    /// Waiting.
    pub fn waiting(self, seconds: u64) -> String {
        match self.0 {
            Locale::English => format!("waiting… {seconds} s"),
            Locale::SimplifiedChinese => format!("等待中… {seconds} 秒"),
        }
    }
    /// Joining the call.
    pub fn joining_call(self, call_id: &str) -> String {
        self.pick("joining video call ", "正在加入视频通话 ") + call_id
    }
    /// In the call.
    pub fn in_call(self, seconds: u64, interactive: bool) -> String {
        match (self.0, interactive) {
            (Locale::English, false) => format!("in the call: {seconds} s (at least 15 s)"),
            (Locale::English, true) => format!("in the call: {seconds} s (at least 15 s) — press Enter to leave"),
            (Locale::SimplifiedChinese, false) => format!("通话中：{seconds} 秒（至少 15 秒）"),
            (Locale::SimplifiedChinese, true) => format!("通话中：{seconds} 秒（至少 15 秒）— 按回车键离开"),
        }
    }
    /// The call's media connected: what this terminal sends in place of a microphone.
    pub fn call_connected(self, hums: bool) -> String {
        match (self.0, hums) {
            (Locale::English, true) => {
                "in the call with the reviewer: your camera goes to them, and a 440 Hz tone stands in for a microphone (a terminal has no audio)".into()
            }
            (Locale::English, false) => {
                "in the call with the reviewer: your camera goes to them; a terminal has no audio, so they hear silence".into()
            }
            (Locale::SimplifiedChinese, true) => "已与审核人通话：您的摄像头画面发送给审核人，以 440 Hz 音调代替麦克风（终端不支持音频）".into(),
            (Locale::SimplifiedChinese, false) => "已与审核人通话：您的摄像头画面发送给审核人；终端不支持音频，审核人听到的是静音".into(),
        }
    }
    /// What arrived from the reviewer, for the in-call status line.
    pub fn reviewer_media(self, seen: ReviewerMediaSummary) -> String {
        let video = match (seen.size, self.0) {
            (None, Locale::English) => "no picture from the reviewer yet".to_owned(),
            (None, Locale::SimplifiedChinese) => "尚未收到审核人的画面".to_owned(),
            (Some((w, h)), Locale::English) => format!("reviewer's video {w}×{h}, {} pictures", seen.pictures),
            (Some((w, h)), Locale::SimplifiedChinese) => format!("审核人画面 {w}×{h}，共 {} 帧", seen.pictures),
        };
        // Louder than a quiet room (an RMS of about 1% of full scale).
        let voice = match (seen.audio_pieces, seen.loudest_rms > 300) {
            (0, _) => self.pick("no sound yet", "尚无声音"),
            (_, true) => self.pick("their voice has been heard", "已听到审核人的声音"),
            (_, false) => self.pick("no voice heard yet", "尚未听到审核人说话"),
        };
        format!("{video} · {voice}")
    }
    /// The scripted reviewer's narration.
    pub fn reviewer(self, action: &str) -> String {
        self.pick("scripted reviewer: ", "脚本审核人：") + action
    }
    /// Reviewer action.
    pub fn reviewer_starts_call(self) -> String {
        self.pick("starts the video call", "发起视频通话")
    }
    /// Reviewer action.
    pub fn reviewer_approves(self) -> String {
        self.pick("approves the request", "批准申请")
    }
    /// Where a real reviewer acts.
    pub fn reviewer_console(self, console_url: &str, upn: &str, password: Option<&str>, request_id: &str) -> String {
        let password = password.unwrap_or(match self.0 {
            Locale::English => "the password the service printed at its first start",
            Locale::SimplifiedChinese => "服务首次启动时打印的密码",
        });
        match self.0 {
            Locale::English => format!(
                "reviewer: open {console_url} in a browser, sign in as {upn} with password {password}, and act on request {request_id}"
            ),
            Locale::SimplifiedChinese => {
                format!("审核人：在浏览器中打开 {console_url}，以 {upn} 登录（密码 {password}），然后处理申请 {request_id}")
            }
        }
    }
    /// A notification the phone would show.
    pub fn notification(self, text: &str) -> String {
        self.pick("notification: ", "通知：") + text
    }
    /// The TAP countdown.
    pub fn expires_in(self, remaining: &str) -> String {
        match self.0 {
            Locale::English => format!("expires in {remaining}"),
            Locale::SimplifiedChinese => format!("{remaining} 后过期"),
        }
    }
    /// What the person can do on the TAP screen: go on, or leave with the TAP still valid.
    pub fn tap_hint(self, action: &str) -> String {
        match self.0 {
            Locale::English => format!("press Enter for \"{action}\", or type q to quit; the TAP stays valid until it expires"),
            Locale::SimplifiedChinese => format!("按回车键执行“{action}”，输入 q 退出；TAP 在过期前仍然有效"),
        }
    }
    /// The stand-in authenticator app took the activation's link.
    pub fn stand_in_app_added(self, account: &str) -> String {
        match self.0 {
            Locale::English => format!("stand-in authenticator app: added {account}; it shows a new 6-digit code every 30 s"),
            Locale::SimplifiedChinese => format!("模拟身份验证器应用：已添加 {account}；每 30 秒显示新的 6 位验证码"),
        }
    }
    /// The desktop has no authenticator app: the person scans with their phone.
    pub fn scan_with_phone(self) -> String {
        self.pick(
            "scan the barcode with the authenticator app on your phone (Microsoft Authenticator or any TOTP app)",
            "请用手机上的身份验证器应用（Microsoft Authenticator 或任何 TOTP 应用）扫描条形码",
        )
    }
    /// Form label: the code the authenticator app shows.
    pub fn label_app_code(self) -> String {
        self.pick("Code shown by the authenticator app", "身份验证器应用显示的验证码")
    }
    /// Form label: which question, by its number in the list.
    pub fn label_question_pick(self, nth: usize, count: u32, listed: usize) -> String {
        match self.0 {
            Locale::English => format!("Question {nth} of {count}: its number (1–{listed})"),
            Locale::SimplifiedChinese => format!("第 {nth} 个问题（共 {count} 个）：输入编号（1–{listed}）"),
        }
    }
    /// Form label: the answer to a question.
    pub fn label_answer(self, question: &str) -> String {
        self.pick("Answer to ", "回答：") + &format!("\"{question}\"")
    }
    /// What replaces a typed secret in the transcript.
    pub fn not_shown(self) -> String {
        self.pick("(not shown)", "（不显示）")
    }
    /// The stand-in browser opens the password page.
    pub fn password_page_scripted(self, address: &str) -> String {
        match self.0 {
            Locale::English => format!("stand-in browser: opens the password page {address} and sets the sample password (not shown)"),
            Locale::SimplifiedChinese => format!("模拟浏览器：打开密码设置页面 {address} 并设置示例密码（不显示）"),
        }
    }
    /// The page took the password: the app asks the service.
    pub fn password_page_answered(self) -> String {
        self.pick(
            "stand-in browser: the page took the password; back in the app, which asks the service",
            "模拟浏览器：页面已接受密码；返回应用，由应用向服务确认",
        )
    }
    /// The password page, for a person to open.
    pub fn password_page(self, url: &str) -> String {
        match self.0 {
            Locale::English => format!("password: open {url} in a browser and set your permanent password there (the link works once)"),
            Locale::SimplifiedChinese => format!("密码：请在浏览器中打开 {url} 并设置永久密码（链接仅可使用一次）"),
        }
    }
    /// Back from the password page.
    pub fn password_done_prompt(self) -> String {
        self.pick("press Enter here when the page says your password is set", "页面显示密码已设置后，请在此按回车键")
    }
    /// The closing summary.
    pub fn summary(self, seconds: f64, embedded_service: bool, tap: bool) -> String {
        let reached = match (self.0, tap) {
            (Locale::English, true) => format!("done: the TAP screen was reached in {seconds:.1} s. "),
            (Locale::English, false) => format!("done: the onboarding finished in {seconds:.1} s. "),
            (Locale::SimplifiedChinese, true) => format!("完成：用时 {seconds:.1} 秒到达 TAP 页面。"),
            (Locale::SimplifiedChinese, false) => format!("完成：用时 {seconds:.1} 秒完成入职流程。"),
        };
        let discarded = match (self.0, embedded_service) {
            (Locale::English, true) => "This shell wrote nothing to disk; its in-memory store and the embedded service are discarded now.",
            (Locale::English, false) => "This shell wrote nothing to disk; its in-memory store is discarded now.",
            (Locale::SimplifiedChinese, true) => "本程序未向磁盘写入任何内容；内存存储和内嵌服务现在被丢弃。",
            (Locale::SimplifiedChinese, false) => "本程序未向磁盘写入任何内容；内存存储现在被丢弃。",
        };
        reached + discarded
    }
    /// The reference partner's ID-check page, for a person to open.
    pub fn partner_page(self, url: &str) -> String {
        match self.0 {
            Locale::English => format!(
                "ID check: open {url} in a browser, enter your mobile number, accept the terms, choose a photo of your ID and a selfie, submit, then press Enter here"
            ),
            Locale::SimplifiedChinese => {
                format!("证件核验：请在浏览器中打开 {url}，输入手机号，同意条款，选择证件照片和自拍并提交，然后在此按回车")
            }
        }
    }
    /// The script fills the partner's page.
    pub fn partner_scripted(self, url: &str) -> String {
        match self.0 {
            Locale::English => {
                format!("ID check page {url}: the script submits a mobile number, the terms, a sample ID photo and a selfie")
            }
            Locale::SimplifiedChinese => format!("证件核验页面 {url}：脚本提交手机号、条款、示例证件照片和自拍"),
        }
    }
    /// What the partner's page answered (its verdict goes to the service, not to the app).
    pub fn partner_answered(self, result: &str) -> String {
        match self.0 {
            Locale::English => format!("the partner's page says \"{result}\"; the app asks the service for the verdict"),
            Locale::SimplifiedChinese => format!("核验页面显示“{result}”；应用向服务查询结果"),
        }
    }
    /// Authenticator is a phone app: on the desktop the step only says so.
    pub fn authenticator_on_phone(self) -> String {
        self.pick(
            "on a phone, Microsoft Authenticator opens here to add the Verified ID; the desktop goes on",
            "在手机上，此处会打开 Microsoft Authenticator 添加 Verified ID；桌面版继续",
        )
    }
    /// A step only the phone app can do.
    pub fn phone_only(self, step: &str) -> String {
        match self.0 {
            Locale::English => format!("this path needs the phone app ({step}); the desktop shell stops here"),
            Locale::SimplifiedChinese => format!("此流程需要手机应用（{step}）；桌面版到此为止"),
        }
    }
    /// The onboarding ended without a TAP.
    pub fn ended_without_tap(self) -> String {
        self.pick("the onboarding ended without a TAP", "入职流程结束，未获得 TAP")
    }
    /// The onboarding stopped while securing the account.
    pub fn stopped_after_tap(self) -> String {
        self.pick("the onboarding stopped after the TAP; the account is not fully secured", "入职流程在 TAP 之后中止；账户尚未完全受保护")
    }
}
