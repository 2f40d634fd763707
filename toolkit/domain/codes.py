"""Codes used across the toolkit: English values in data, Chinese and English labels for people.

Each code is an :class:`enum.StrEnum` whose members carry ``zh`` and ``en`` labels, so data files and
JSON stay English while every page can show ``member.label("zh")``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Coded(StrEnum):
    """A string code with a Chinese and an English label."""

    zh: str
    en: str

    def __new__(cls, value: str, zh: str = "", en: str = "") -> Self:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.zh = zh
        obj.en = en
        return obj

    def label(self, lang: str = "zh") -> str:
        """The label in ``lang`` ("zh" or "en"); Chinese for anything else."""
        return self.en if lang == "en" else self.zh

    @classmethod
    def parse(cls, value: str) -> Self:
        """The member for ``value``; ``ValueError`` names the allowed codes otherwise."""
        try:
            return cls(value)
        except ValueError:
            allowed = ", ".join(m.value for m in cls)
            raise ValueError(f"unknown {cls.__name__} code {value!r}; allowed: {allowed}") from None


class Channel(Coded):
    """How an item reached the office (信、访、网、电, plus forwarded from above)."""

    LETTER = ("letter", "来信", "Letter")
    VISIT = ("visit", "来访", "Visit")
    PHONE = ("phone", "电话", "Phone call")
    ONLINE = ("online", "网络", "Online report")
    FORWARDED = ("forwarded", "上级转送/交办", "Forwarded from above")


class Category(Coded):
    """What kind of item it is (信访举报类别)."""

    ACCUSATION = ("accusation", "检举控告", "Accusation")
    APPEAL = ("appeal", "申诉", "Appeal")
    SUGGESTION = ("suggestion", "批评建议", "Suggestion")
    OUT_OF_SCOPE = ("out_of_scope", "业务范围外", "Out of scope")


class Flag(Coded):
    """Properties of an item that change how it is handled."""

    REAL_NAME = ("real_name", "实名", "Real name")
    ANONYMOUS = ("anonymous", "匿名", "Anonymous")
    REPEAT = ("repeat", "重复件", "Repeat")
    NO_SUBSTANCE = ("no_substance", "无实质内容", "No substance")
    IMPERSONATION = ("impersonation", "冒名/贴牌", "Impersonation")


class ManagementLevel(Coded):
    """Who manages the accused cadre (管理权限), which decides who handles the item."""

    CITY = ("city", "市管干部", "City-managed")
    COUNTY = ("county", "区(县)管干部", "County-managed")
    TOWN = ("town", "乡镇(街道)管理人员", "Town-managed")
    VILLAGE = ("village", "村(社区)干部", "Village cadre")


class CadreRole(Coded):
    """A role of a cadre that changes where a report about them goes or who answers for them."""

    PRINCIPAL = ("principal", "党委(党组)主要负责人", "Head of a Party committee or group")
    COMMISSION_HEAD = ("commission_head", "本机关主要负责人", "Head of this commission")
    DISCIPLINE = ("discipline", "纪检监察干部", "Discipline-inspection cadre")


class RouteAction(Coded):
    """Routing decision (分办)."""

    SELF = ("self", "本级办理", "Handle at this level")
    ASSIGN = ("assign", "交办下级", "Assign to the level below")
    REPORT_UP = ("report_up", "报送上级", "Send up to the level above")
    TRANSFER = ("transfer", "移送主管部门", "Transfer to the competent department")
    ADVISE = ("advise", "告知向有权机关反映", "Tell where to take it")
    FILE = ("file", "登记留存备查", "Log and keep on file")


class Disposal(Coded):
    """Lead disposal (问题线索处置). ``file_case`` only where a pack's rules allow it (the five-way
    classification of 2014–2017)."""

    TALK_INQUIRY = ("talk_inquiry", "谈话函询", "Talk or written inquiry")
    PRELIMINARY_VERIFICATION = ("preliminary_verification", "初步核实", "Preliminary verification")
    HOLD = ("hold", "暂存待查", "Hold for later")
    CLOSE = ("close", "予以了结", "Close")
    FILE_CASE = ("file_case", "拟立案", "Propose opening a case")


class Proposal(Coded):
    """What a verification or an inquiry proposes for what it proved (处置建议): from 予以了结 for nothing
    proved, through the first form's 谈话提醒 / 批评教育 / 诫勉, to 拟立案 when discipline is needed."""

    CLOSE = ("close", "予以了结", "Close")
    TALK_REMINDER = ("talk_reminder", "谈话提醒", "Reminder talk")
    CRITICISM = ("criticism", "批评教育", "Criticism and education")
    ADMONITION = ("admonition", "诫勉谈话", "Admonition")
    FILE_CASE = ("file_case", "拟立案审查调查", "Open a case")
    VERIFY = ("verify", "提出初步核实的建议", "Propose a preliminary verification")


class DocumentType(Coded):
    """Documents a case dossier holds."""

    REGISTRATION = ("registration", "登记表", "Registration form")
    ROUTING_SLIP = ("routing_slip", "分办单/拟办意见", "Routing slip")
    LEADER_INSTRUCTION = ("leader_instruction", "领导批示", "Leader's instruction")
    REFERRAL_LETTER = ("referral_letter", "交办/转办函", "Assignment or transfer letter")
    VERIFICATION_REPORT = ("verification_report", "初核报告", "Preliminary verification report")
    INQUIRY_RECORD = ("inquiry_record", "谈话函询记录", "Talk or inquiry record")
    TALK_TRANSCRIPT = ("talk_transcript", "谈话笔录", "Talk transcript")
    CLOSURE_NOTICE = ("closure_notice", "了结告知函", "Letter telling the person the matter is closed")
    EXTENSION_APPROVAL = ("extension_approval", "延期审批", "Extension approval")
    CLOSING_REPORT = ("closing_report", "办结报告", "Closing report")
    REPLY_RECORD = ("reply_record", "答复/反馈记录", "Reply and feedback record")
    FOLLOW_UP_RECORD = ("follow_up_record", "回访记录", "Follow-up visit record")
    DEPARTMENT_FEEDBACK = ("department_feedback", "主管部门办理反馈", "Competent department's feedback")


class DefectDimension(Coded):
    """The quality questions a dossier is checked on (事实、定性、手续, plus 时限、反馈、保密、文书)."""

    FACTS = ("facts", "事实", "Facts")
    QUALIFICATION = ("qualification", "定性", "Qualification")
    PROCEDURE = ("procedure", "手续", "Procedure")
    TIME = ("time", "时限", "Time limits")
    FEEDBACK = ("feedback", "反馈", "Feedback")
    CONFIDENTIALITY = ("confidentiality", "保密", "Confidentiality")
    DOCUMENTS = ("documents", "文书", "Documents")


class CardColor(Coded):
    """Deadline supervision card colours (红橙黄牌督办 and the four-colour scheme)."""

    RED = ("red", "红牌", "Red")
    ORANGE = ("orange", "橙牌", "Orange")
    YELLOW = ("yellow", "黄牌", "Yellow")
    BLUE = ("blue", "蓝牌", "Blue")
    GREEN = ("green", "绿牌", "Green")


class Level(Coded):
    """Difficulty of generated material."""

    EASY = ("easy", "初级", "Easy")
    MEDIUM = ("medium", "中级", "Medium")
    HARD = ("hard", "高级", "Hard")


class Clock(Coded):
    """Which clock a time limit runs on."""

    WORKING_DAYS = ("working_days", "工作日", "working days")
    CALENDAR_DAYS = ("calendar_days", "日", "calendar days")
    MONTHS = ("months", "个月", "months")


class StartEvent(Coded):
    """The event a time limit counts from."""

    RECEIVED = ("received", "收到之日", "receipt")
    ACCEPTED = ("accepted", "受理之日", "acceptance")
    REFERRED = ("referred", "交办(转送)之日", "referral")
    CLOSED = ("closed", "办结之日", "closing")
    INQUIRY_RECEIVED = ("inquiry_received", "收到函件之日", "receipt of the inquiry letter")
    INQUIRY_ANSWERED = ("inquiry_answered", "谈话结束或者收到函询回复之日", "the talk or the written reply")
    REPLY_SERVED = ("reply_served", "收到书面答复之日", "receipt of the written reply")
    #: kept for packs written before 2.0.0; the 2019 rules count the reply from receipt of the letter
    INQUIRY_SENT = ("inquiry_sent", "函询发出之日", "inquiry sent")


class Basis(Coded):
    """What a rule rests on: a national regulation, a named office's local practice, or this pack's own
    simplification for training."""

    NATIONAL = ("national", "全国性规定", "national rule")
    LOCAL = ("local", "地方做法", "local practice")
    TRAINING = ("training", "训练简化", "training simplification")


class Step(Coded):
    """The step of handling a time limit governs (which document of a dossier shows it)."""

    NOTICE = ("notice", "告知受理", "acceptance notice")
    ROUTING = ("routing", "受理或转办", "acceptance or passing on")
    REFERRAL = ("referral", "报送", "sending up")
    DISPOSAL = ("disposal", "处置意见", "disposal proposal")
    INQUIRY_REPLY = ("inquiry_reply", "说明材料", "written explanation")
    INQUIRY_REPORT = ("inquiry_report", "谈话函询情况报告", "report after the talk or inquiry")
    CLOSE = ("close", "办结", "closing")
    REPORT_BACK = ("report_back", "报结", "reporting back")
    FEEDBACK = ("feedback", "结果反馈", "feeding back the result")
    REVIEW = ("review", "请求复查", "asking for a review")


class Conduct(Coded):
    """What a visit or call is scored on (接谈四项要求)."""

    WARM = ("warm", "热情接待", "Warm reception")
    LISTEN = ("listen", "耐心倾听", "Patient listening")
    RECORD = ("record", "认真记录", "Careful recording")
    HANDLE = ("handle", "妥善处理", "Proper handling")


class Sex(Coded):
    """Sex as recorded on an ID card."""

    MALE = ("male", "男", "Male")
    FEMALE = ("female", "女", "Female")


class ItemStatus(Coded):
    """Status of a ledger item (办理状态)."""

    OPEN = ("open", "办理中", "Open")
    EXTENDED = ("extended", "延期办理", "Extended")
    CLOSED = ("closed", "已办结", "Closed")
    FILED = ("filed", "留存备查", "Filed")
