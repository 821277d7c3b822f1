"""People's names and posts as meeting reports write them.

- ``SURNAMES``: the common single-character surnames a name must start with.
- ``POST``: a post written before a name (``镇党委副书记``, ``副县长``, ``宣传委员``,
  ``村会计``); ``TITLE_POST``: the posts a person is addressed by after their surname
  (``许书记``, ``唐副镇长``, ``吴股长``).
- ``DESCRIPTOR``: who someone is without a post (``老党员``, ``企业家``, ``村民代表``).
- ``MASKED_NAME``: a name whose given name is redacted (``于XX``, ``孙*``, ``王**``, ``刘某``).
- :func:`forms_of_address`: how a named person with a post is called by surname and post
  (``向成林``, ``镇党委副书记、镇长`` -> ``向镇长``, ``向副书记``, ``向书记``), so a later
  ``向镇长要求`` is known to be the same person.

Left out on purpose: compound surnames (欧阳, 司马: rare in this genre) and deciding
whether a two-character word is a name (that needs the dictionary: ``rules_text``).
"""

from __future__ import annotations

import re

SURNAMES = frozenset(
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎"
    "鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄"
    "和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭"
    "梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚"
    "程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫"
    "宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴胥能苍双闻"
    "莘党翟谭贡劳逄姬申扶堵冉宰郦雍却璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向"
    "古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾"
    "毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公植覃练岳帅寸"
    # common today though not in the classic list (肖, 付, 闫 are among the hundred most common)
    "肖付闫兰涂凃邝冼麦谌佘邸仝苑揭粟旷丛尉苟栗鄢卿缑"
)

# A post written right before a name. Longest forms first where one is a prefix of another.
POST = (
    r"(?:(?:党委|党总支|党支部|党工委|党组|镇委|乡委|县委|市委|区委|省委)?(?:常务)?副?(?:第一)?书记"
    r"|村组长暨第一书记|组长暨第一书记"
    r"|(?:省长|市长|县长|区长|镇长|乡长)助理"  # before 县长: "县长助理胡建新"
    r"|(?:常务)?副?(?:省长|市长|县长|区长|镇长|乡长)"
    r"|(?:省委|市委|县委|区委|州委|党委|党工委)常委(?!会)"  # "县委常委金晓东、魏明辉参加学习"
    r"|(?:村|党)?支书|(?:扶贫|计生|党建|宣传)?专干|干事|联络员"  # "村支书何大勇", "扶贫专干邹小兰"
    r"|(?:省|市|县|区)?政协副?主席|(?:省|市|县|区)?人大常委会副?主任"
    r"|副?(?:主席|部长|主任|局长|组长|秘书长|处长|科长|股长|村长|社长|所长|站长|院长|校长|董事长|总经理"
    r"|队长|会长|馆长|行长|理事长)"
    r"|(?:宣传|组织|纪检|统战|政法|武装|宣传统战|纪检监察)?委员|会计|文书|报账员"
    r"|(?:常务)?副?总指挥|副?指挥长"
    r"|副?检察长|副?政委|(?:[一二三四]级)?调研员|党组成员|副?总(?:工程师|经济师|会计师)|副?经理|专员|教导员|指导员|庭长"
    r"|记者)"
)
# Who a person is when they hold no post: "新乡贤代表、在外企业家罗成章", "秀水村老党员毛德顺".
# Read as a person only where a name follows at once (``rag.meeting.people``).
DESCRIPTOR = (
    r"(?:代表|企业家|老党员|党员|村民|群众|乡贤|专家|教授|研究员|讲师|(?:高级|助理)?(?:农艺师|工程师|畜牧师|兽医师|农经师)|讲解员|技术员|负责人|创业者|致富带头人|志愿者|大户"
    r"|网格员|护林员|驻村干部|大学生村官|干部|教师|医生|村医|律师|班子成员)"
)
# A post after a surname (许书记, 唐副镇长): what a person is addressed by.
TITLE_POST = (
    r"副?(?:书记|县长|镇长|乡长|区长|市长|局长|主任|部长|所长|站长|科长|股长|校长|院长|委员|组长|秘书长"
    r"|村长|社长|队长|会长|馆长|行长|指挥长)"
)
_TITLE_POST_END = re.compile(rf"(?:{TITLE_POST})$")
MASKED_NAME = re.compile(r"[\u4e00-\u9fff](?:X{1,3}|x{1,3}|Ｘ{1,3}|\*{1,3}|＊{1,3}|某{1,2})")


def forms_of_address(name: str, role: str | None) -> set[str]:
    """Surname + post for each post in ``role``, with and without 副/常务副 (a deputy is
    addressed without it in speech): 向成林 of 镇党委副书记、镇长 -> {向镇长, 向副书记, 向书记}.

    Empty when the surname is not a surname or the role names no post one is addressed by.
    """
    if not name or name[0] not in SURNAMES or not role:
        return set()
    out: set[str] = set()
    for part in re.split(r"[、,，/ ]|兼", role):
        m = _TITLE_POST_END.search(part)
        if m is None:
            continue
        post = m.group(0)
        out.add(name[0] + post)
        if post.startswith("副"):
            out.add(name[0] + post[1:])
    return out
