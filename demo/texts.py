"""Chinese case descriptions and synthetic parties for the demo disputes and signals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo.chinese import synthetic_id_number, synthetic_person_name, synthetic_phone

DISPUTE_TEMPLATES = {
    "marriage_family": [
        "夫妻因{x}发生矛盾，双方情绪激动，请求调解",
        "家庭成员因{x}产生分歧，老人到村委会反映",
    ],
    "neighbour": ["邻里因{x}问题发生纠纷，双方互不相让", "两户村民因{x}发生口角"],
    "land_forest": ["村民因{x}发生争执，要求村委会主持划界", "两户因{x}产生纠纷"],
    "debt": ["{x}欠款{n}元长期未还，债权人要求协调", "因{x}产生债务纠纷，涉及金额{n}元"],
    "labour_wages": ["返乡务工人员反映{x}拖欠工资{n}元", "{x}工人讨要工资{n}元未果"],
    "property_management": ["居民与物业因{x}问题产生矛盾", "小区业主反映{x}问题长期未解决"],
    "medical": ["患者家属对{x}有异议，要求说明并赔偿", "因{x}问题与卫生院发生争议"],
    "traffic": ["{x}发生剐蹭，双方对赔偿金额有分歧", "{x}相撞，一人轻伤，赔偿未谈妥"],
    "other": ["因{x}引发纠纷，当事人到综治中心反映", "群众反映{x}问题，要求处理"],
}
DISPUTE_DETAILS = {
    "marriage_family": ["赡养老人", "彩礼返还", "子女抚养", "离婚财产分割", "家庭琐事"],
    "neighbour": ["宅基地界址", "排水", "院墙", "牲畜损坏庄稼", "通行道路", "噪音"],
    "land_forest": ["承包地边界", "草山草场使用", "林木砍伐", "土地流转费用", "耕地占用",
                    "灌溉用水"],
    "debt": ["民间借贷", "赊购农资", "合伙经营", "购买牛羊"],
    "labour_wages": ["工程队", "建筑工地", "餐馆", "虫草采挖雇主"],
    "property_management": ["物业费", "停车", "楼顶漏水", "供暖", "垃圾清运"],
    "medical": ["诊疗结果", "用药", "收费", "转院延误"],
    "traffic": ["摩托车与行人", "农用三轮车与电动车", "小轿车与货车", "面包车与摩托车"],
    "other": ["噪音扰民", "牲畜走失", "环境卫生", "宗教活动场所管理", "网络借贷"],
}  # fmt: skip
RESPONDENT_BODIES = {
    "labour_wages": "工程队（模拟）",
    "property_management": "物业公司（模拟）",
}
SIGNAL_TEMPLATES = {
    "hazard": ["{x}存在安全隐患", "巡查发现{x}"],
    "petition": ["群众到县信访局反映{x}", "网上信访：{x}"],
    "public_security": ["110接警：{x}", "派出所通报：{x}"],
    "violence": ["接警：{x}，已出警处置", "涉暴力警情：{x}"],
    "alert": ["民政系统预警：{x}", "教育系统预警：{x}", "卫健系统预警：{x}"],
}
SIGNAL_DETAILS = {
    "hazard": ["危房", "电线私拉乱接", "河道淤堵", "山体滑坡隐患", "燃气使用不规范"],
    "petition": ["征地补偿", "低保评定", "宅基地审批", "工程款拖欠", "草场承包"],
    "public_security": ["打架斗殴", "盗窃牛羊", "酒后滋事", "聚众赌博"],
    "violence": ["家庭暴力", "持械斗殴", "扬言报复", "邻里冲突升级"],
    "alert": ["困难家庭", "学生辍学", "精神障碍患者监护不到位", "独居老人"],
}


def describe_dispute(category: str, rng: np.random.Generator) -> str:
    """A short Chinese description of a dispute of ``category``."""
    template = str(rng.choice(DISPUTE_TEMPLATES[category]))
    amount = int(rng.integers(5, 300)) * 100
    return template.format(x=rng.choice(DISPUTE_DETAILS[category]), n=amount)


def describe_signal(kind: str, rng: np.random.Generator) -> str:
    """A short Chinese description of a signal of ``kind``."""
    return str(rng.choice(SIGNAL_TEMPLATES[kind])).format(x=rng.choice(SIGNAL_DETAILS[kind]))


def parties_for(
    party_groups: np.ndarray,
    categories: np.ndarray,
    addresses: pd.DataFrame,
    rng: np.random.Generator,
) -> list[list[dict]]:
    """Applicant and respondent of every case; repeats of one dispute keep the same people."""
    people: dict[int, list[dict]] = {}
    serial = 0
    out = []
    for group, category, home in zip(party_groups, categories, addresses["full_text"], strict=True):
        if group not in people:
            pair = []
            for role in ("applicant", "respondent"):
                serial += 1
                if role == "respondent" and category in RESPONDENT_BODIES:
                    name = f"{rng.choice(list('马杨王李丁张'))}某{RESPONDENT_BODIES[category]}"
                    id_number = None
                else:
                    name = synthetic_person_name(rng)
                    id_number = synthetic_id_number(rng, serial)
                pair.append(
                    {
                        "name": name,
                        "role": role,
                        "phone": synthetic_phone(90_000_000 + serial),
                        "id_number": id_number,
                        "address_text": home if role == "applicant" else None,
                    }
                )
            people[group] = pair
        out.append([dict(p) for p in people[group]])
    return out
