"""The benchmark's fixed questions about the seed documents.

Twenty questions of the kinds users ask (who chaired, when, how many, which
ones, a total, a question spanning two meetings, one typed in traditional
script), drawn from ``eval/datasets/seeds.jsonl`` and frozen here so a change to
the evaluation set does not silently change the benchmark. Every seed document
is asked about.
"""

from __future__ import annotations

QUESTIONS: tuple[str, ...] = (
    "座谈会由谁主持?",
    "全市优秀基层党组织书记座谈会是哪天召开的?",
    "赵子银是哪个村的党总支书记?",
    "哪些市领导参加了全市优秀基层党组织书记座谈会?",
    "“1331”基层党建现场会在哪里召开?",
    "参加“1331”现场会的县政协主席叫什么名字?",
    "“1331”中的农村“三支队伍”是指哪三支队伍?",
    "全县基层党建工作重点任务推进会是经谁同意召开的?",
    "对于不胜任、不合格的县派干部,县里将实行什么制度?",
    "推进会讲话要求构建多少分钟的区巷近邻服务圈?",
    "实施乡村振兴战略暨抓党建促脱贫攻坚工作推进会是什么时候召开的?",
    "推进会现场参观的首站是哪里?",
    "广宁县横山镇委书记是谁?",
    "推进会组织参观考察了哪两个地方的示范点、示范村?",
    "该区发展了多少家农民合作社?",
    "“一亲三心”活动协调解决了多少个群众“急难盼愁”问题?",
    "该区的农民合作社和家庭农场合计有多少家?",
    "3月28日和3月30日分别召开了什么会议?",
    "这几份材料中,哪一次会议开了两天?",
    "座談會由誰主持?",
)
