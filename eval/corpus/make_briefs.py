"""Write eval/corpus/briefs.jsonl: one brief per document of the development corpus.

A brief gives a writer (who never sees the engine, its rules or its datasets) the
genre, the place, the style, the length and the imperfections of one document.
The combinations are spread on purpose so every split gets every genre family,
every style and every text trait. To extend the corpus, append to the lists
below (never reorder: ids and splits are positional) and rerun:

    python eval/corpus/make_briefs.py > eval/corpus/briefs.jsonl
"""

from __future__ import annotations

import json

GENRES = [
    ("述职评议会", "村(社区)或乡镇党组织书记抓基层党建工作述职评议"),
    ("换届选举部署会", "村(社区)“两委”换届选举工作部署"),
    ("防汛调度会", "汛期防汛抗旱、地质灾害防范调度"),
    ("安全生产调度会", "安全生产、燃气/消防/道路交通隐患排查调度"),
    ("森林防火调度会", "森林防灭火、春季野外用火管控"),
    ("政府常务会议", "县(区)政府常务会议,研究若干议题"),
    ("培训班开班式", "村党组织书记/乡村振兴专题培训班开班"),
    ("观摩评比会", "抓党建促乡村振兴观摩评比、现场打分排名"),
    ("擂台比武", "村党组织书记“擂台比武”/“赛马比拼”"),
    ("动员大会", "某项专项行动(如和美乡村建设、集体经济攻坚)动员大会"),
    ("座谈会", "优秀基层干部/驻村第一书记/新乡贤座谈会"),
    ("现场推进会", "产业发展或党建引领某项工作的现场推进会"),
    ("表彰大会", "“七一”表彰先进基层党组织、优秀共产党员"),
    ("理论学习中心组学习", "党委(党组)理论学习中心组专题学习(扩大)会议"),
    ("招商引资推进会", "招商引资、项目建设推进会或签约活动"),
    ("人居环境整治现场会", "农村人居环境整治、厕所革命、垃圾分类现场会"),
    ("村民代表会议", "村民代表会议讨论村集体经济分红/村规民约/项目"),
]

STYLES = [
    ("news", "短新闻稿:开头是电头和署名,如“XX日报讯(通讯员 XX XX)”或“本报讯(记者 XX)”,400-900字"),
    ("speech", "领导讲话稿:以“同志们:”开头,分几大部分(一、二、三…/一是二是…),2000-3500字;会议名称、日期、主持人可能只在标题或开头一句出现,甚至不出现"),
    ("minutes", "正式会议纪要:有“会议纪要”标题、时间/地点/主持/出席/列席/记录等栏目(可缺其中一些),议定事项逐条列出,800-1600字"),
    ("notice", "会议通知或会后通报:如“关于召开…的通知”或“关于…会议精神的通报”,含时间、地点、参会范围、有关要求,500-1100字"),
    ("webpage", "从网站另存的网页全文:正文前后带网站杂项,如导航、“发布时间:2024-05-17 09:32”(不是开会日期)、“来源:”、“浏览次数”、“责任编辑:”、“【打印】【关闭】”、“分享到:”、以及文末一串与本文无关的新闻标题列表,正文600-1200字"),
    ("excerpt", "摘录片段:从一篇较长报道中截取的一段,开头从句子中间开始(前半句缺失),结尾也可能断在半句,500-1100字"),
    ("multi", "一篇报道写了同一天的几个活动:如“会前,与会人员观摩了…”,正式会议,“会后,召开了…座谈会”;主会议之外至少还有一个活动有自己的时间、地点或人物,900-1600字"),
]

TRAITS = [
    ("trad_pinyin", "全文繁体字,并且(由后期脚本)给每个汉字加注带声调的拼音,如“會(huì)議(yì)”;写作时照常用简体写,标注由脚本完成"),
    ("spaces", "词语中间夹杂多余空格,如“乡村 振兴”“党 建 引 领”,约十几处"),
    ("redactions", "若干人名、数字或地名被打码,用 XX、xx、* 或 ** 代替,如“XX镇党委书记王*”“投资xx万元”"),
    ("ascii_punct", "大量使用半角英文标点:逗号 , 句号 . 冒号 : 括号 () 引号 \"\",全角半角混杂"),
    ("counts", "人数写法多样:如“一百二十余人”“120多人”“共计160余人”“30余名”“近两百人”“各乡镇分管负责同志”(不写数)"),
    ("date_no_year", "会议日期不写年份,如“3月30日上午”“近日”“日前”,年份只可能出现在别处或完全不出现"),
    ("pronoun_place", "地名多用代称:“我县”“全区”“该镇”“我市”,真正的地名只出现一两次(如在电头或标题里)"),
    ("surname_post", "部分人物只写姓加职务,如“许书记”“贾县长”“王局长”,不写全名;另一些人写全名和完整职务"),
    ("unit_lists", "有长长的单位名单,如“县委办、县政府办、县委组织部、县发改委、县财政局、县农业农村局……”或参会乡镇名单"),
]

# Invented places (not real administrative units on purpose): city, county/district, town.
PLACES = [
    ("河阳市", "青禾县", "石桥镇"), ("云州市", "东岚区", "柳营街道"), ("临渊市", "白鹭县", "白沙乡"),
    ("昭平市", "金川县", "凤鸣镇"), ("安澜市", "溪口县", "桃源乡"), ("嘉川市", "北塘区", "槐树街道"),
    ("梧州岭市", "松岗县", "杨家坪镇"), ("泗阳川市", "兴隆县", "马鞍山乡"), ("庆丰市", "新安县", "龙潭镇"),
    ("楚宁市", "长汀县", "竹溪乡"), ("延平岭市", "南屏县", "水口镇"), ("黔川市", "碧江区", "桐木乡"),
    ("望海市", "滨江区", "渔港街道"), ("洛川市", "宜禾县", "上庄镇"), ("泾河市", "平原县", "三里铺乡"),
    ("湘岭市", "花垣县", "茶园镇"), ("沅水市", "麻阳县", "锦和镇"), ("秦岭市", "丹凤县", "铁峪铺镇"),
    ("汉中原市", "留坝县", "江口镇"), ("晋阳市", "清源县", "东于镇"), ("燕山市", "丰宁县", "大滩镇"),
    ("辽河市", "新宾县", "永陵镇"), ("松花市", "桦甸县", "红石镇"), ("黑河湾市", "逊克县", "奇克镇"),
    ("皖北市", "临涣县", "韩村镇"), ("赣南市", "寻乌县", "澄江镇"), ("闽西市", "连城县", "四堡乡"),
    ("桂东市", "富川县", "朝东镇"), ("滇南市", "元阳县", "新街镇"), ("蜀中市", "蒲江县", "甘溪镇"),
    ("巴渝市", "石柱县", "黄水镇"), ("陇东市", "华池县", "南梁镇"), ("河西市", "民乐县", "六坝镇"),
]

LENGTH_NOTE = "长度按风格要求;内容、人名、数字全部虚构,不得抄录任何真实文章。"


def briefs() -> list[dict]:
    out = []
    n = 66
    for i in range(n):
        genre, topic = GENRES[i % len(GENRES)]
        style, style_note = STYLES[(i * 3 + i // len(GENRES)) % len(STYLES)]
        city, county, town = PLACES[(i * 5) % len(PLACES)]
        # Two or three traits per document, rotating so each trait meets each style.
        k = 3 if i % 3 == 0 else 2
        traits = [TRAITS[(i * 2 + i // 3 + j * 4) % len(TRAITS)] for j in range(k)]
        traits = list(dict.fromkeys(traits))
        # Splits by document, a third each; the sealed third is only ever scored.
        split = ("train", "dev", "sealed")[i % 3]
        out.append(_brief(i, split, (genre, topic), (style, style_note), (city, county, town), traits,
                          2018 + (i * 7) % 9))
    return out + second_batch()


def _brief(i: int, split: str, genre: tuple[str, str], style: tuple[str, str], place: tuple[str, str, str],
           traits: list[tuple[str, str]], year: int) -> dict:
    """One brief as a writer reads it."""
    return {
        "id": f"c{i + 1:03d}",
        "split": split,
        "genre": genre[0],
        "topic": genre[1],
        "place": {"city": place[0], "county": place[1], "town": place[2]},
        "style": style[0],
        "style_note": style[1],
        "traits": [t for t, _ in traits],
        "trait_notes": [note for _, note in traits],
        "year": year,
        "note": LENGTH_NOTE,
    }


# Second batch (30 documents, c067-c096, 2026-12-03): more genres, styles and traits the
# first batch lacks, for training and development only. The sealed split stays the first
# batch's 22 documents, so its scores stay comparable over time.
GENRES2 = [
    ("主题党日活动", "支部主题党日:重温入党誓词、集中学习、志愿服务"),
    ("巡察反馈会", "县委巡察组向乡镇党委或部门反馈巡察情况"),
    ("警示教育大会", "以案促改警示教育大会,通报典型案例"),
    ("防返贫监测调度会", "防止返贫动态监测和帮扶工作调度"),
    ("秸秆禁烧工作会", "秋冬季秸秆禁烧和综合利用工作部署"),
    ("党员冬训动员会", "农村党员冬春训练动员部署"),
    ("农民丰收节筹备会", "中国农民丰收节庆祝活动筹备协调"),
    ("耕地保护推进会", "耕地保护、撂荒地整治、高标准农田建设推进"),
]

STYLES2 = [
    ("wechat", "微信公众号推文:标题下有“XX发布 2023-06-02 18:30 发表于XX”一类的行,正文段落短,小标题用【】或▶,文末有“编辑:”“审核:”“点击‘阅读原文’”等,600-1200字"),
    ("briefing", "工作简报:开头有“XX工作简报 第X期 XX办公室编 2023年X月X日”的报头(报头日期是印发日期,不一定是开会日期),正文像新闻,文末有“报:”“送:”“发:”名单,600-1200字"),
    ("record", "会议记录(逐人发言记录):有时间、地点、主持人、记录人、参加人员等栏目,然后按“张三(职务):……”逐人记发言要点,最后“主持人总结:”,900-1800字"),
]

TRAITS2 = [
    ("hard_breaks", "像从PDF复制的文字:每行约25-35个字就硬换行,句子被切断在行中间;偶有页码行如“- 2 -”夹在正文中"),
    ("cn_numerals", "日期和数字多用汉字书写,如“二〇二三年五月十二日”“一百二十六人”“百分之九十五”,也有全角数字“１２０人”"),
    ("typos", "少量错别字和重复字(约五六处),如“做好”写成“作好”、“的的”,以及一两处漏掉的标点"),
]


def second_batch() -> list[dict]:
    genres, styles, traits_all = GENRES + GENRES2, STYLES + STYLES2, TRAITS + TRAITS2
    out = []
    for j in range(30):
        i = 66 + j
        # Every new genre, style and trait comes first, then the old ones in rotation.
        genre, topic = (GENRES2 + GENRES)[j % len(genres)]
        style, style_note = (STYLES2 + STYLES)[(j * 2 + j // 5) % len(styles)]
        city, county, town = PLACES[(i * 7 + 3) % len(PLACES)]
        k = 3 if j % 3 == 0 else 2
        picks = [(TRAITS2 + TRAITS)[(j * 2 + j // 4 + m * 5) % len(traits_all)] for m in range(k)]
        picks = list(dict.fromkeys(picks))
        out.append(_brief(i, "dev" if j % 3 == 1 else "train", (genre, topic), (style, style_note),
                          (city, county, town), picks, 2017 + (i * 5) % 9))
    return out


if __name__ == "__main__":
    for b in briefs():
        print(json.dumps(b, ensure_ascii=False))
