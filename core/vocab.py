"""Controlled vocabularies shared by the schema, the importers and the API.

Every tuple here backs a CHECK constraint in the database, so a value that is not
listed can never be stored. Chinese labels are what the centre's clerks see.
"""

ADMIN_LEVELS = ("county", "township", "village")

DISPUTE_CATEGORIES = {
    "marriage_family": "婚姻家庭",
    "neighbour": "邻里纠纷",
    "land_forest": "土地山林",
    "debt": "债权债务",
    "labour_wages": "劳资纠纷",
    "property_management": "物业管理",
    "medical": "医疗纠纷",
    "traffic": "交通事故",
    "other": "其他",
}

DISPUTE_SEVERITIES = {
    "minor": "一般",
    "serious": "较大",
    "major": "重大",
    "critical": "特别重大",
}

DISPUTE_STATUSES = {
    "received": "兜底受理",
    "routed": "分流转办",
    "in_progress": "协同办理",
    "resolved": "已化解",
    "unresolved": "未化解",
    "rated": "群众评价",
    "archived": "办结归档",
    "followed_up": "回访",
}

# How a citizen's rating (群众评价) reached the record. "citizen" is the citizen's own channel
# (rated by the citizen, no clerk between); the others are recorded by a centre.
RATING_SOURCES = {
    "phone": "电话回访",
    "visit": "上门回访",
    "sms": "短信回复",
    "in_person": "当面评价",
    "citizen": "群众自评",
}

SIGNAL_KINDS = {
    "hazard": "安全隐患",
    "petition": "信访",
    "public_security": "治安事件",
    "violence": "涉暴力警情",
    "alert": "外部预警",
}

FACILITY_KINDS = {
    "county_centre": "县综治中心",
    "township_centre": "乡镇综治中心",
    "village_centre": "村(社区)综治中心",
    "police_station": "派出所",
    "court_station": "审务工作站",
    "judge_contact_point": "法官联系点",
    "judicial_office": "司法所",
    "mediation_committee": "调委会",
    "legal_adviser": "法律顾问",
}

STAFF_ROLES = {
    "prefecture_cadre": "州级干部",
    "county_cadre": "县级干部",
    "party_delegate": "党代表",
    "npc_deputy": "人大代表",
    "cppcc_member": "政协委员",
    "village_committee": "村两委成员",
    "militia": "民兵",
    "grid_leader": "网格长",
    "household_leader": "十户长",
}

GEOCODE_LEVELS = (
    "address", "address_near", "group", "village", "township", "county", "none",
)  # fmt: skip

HOTSPOT_REVIEW_STATUSES = ("pending", "confirmed", "dismissed")

GRID_PLAN_STATUSES = ("proposed", "applied", "rejected", "stale")
