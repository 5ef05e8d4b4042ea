"""Risk flags said in other words than the plain trigger: threats hinted, secrecy asked through a story,
a claim put as a question, visits and breakdowns counted; and the look-alikes that are no flag at all."""

import pytest

from assistant.reply.analysis import analyse

SAID = [
    # threats of harm, to staff, to our property or to oneself
    ("safety_risk", "俺是喝高了,喝高了就不让进门啦?"),
    ("safety_risk", "再跟我打官腔,我抄起凳子就砸过去"),
    ("safety_risk", "不给办是吧,看我把你这电脑给摔了"),
    ("safety_risk", "今天不解决,我就把这售楼处一把火烧干净"),
    ("safety_risk", "你再推一句试试,我让你出不了这个门"),
    ("safety_risk", "门我给锁上了,今天你们谁也别想出去"),
    ("safety_risk", "这钱要是没了我也不想活了"),
    ("safety_risk", "我明天揣把菜刀来,看你们办不办"),
    # secrecy asked about a relative, an employer or the customer's name
    ("confidentiality", "催款电话千万别再往我单位打,同事都在看笑话"),
    ("confidentiality", "这事可别跟我闺女提,她知道了要骂我"),
    ("confidentiality", "你们登记归登记,别写上我的名字"),
    ("confidentiality", "我的号码不许再给那些推销公司了"),
    ("confidentiality", "要是有人问,可别说是我反映的"),
    # money asked for sideways
    ("compensation_claim", "多收的这几个月利息谁来承担?"),
    ("compensation_claim", "这个月的停车费你们得给我免了"),
    # repeats counted in breakdowns
    ("repeat_complaint", "水管这个月堵了三回,回回都是我自己掏"),
    ("repeat_complaint", "上礼拜为这事专门来过一趟,今天又让等"),
    ("repeat_complaint", "这话你们上回就说过,一年了没动静"),
    # a group counted in households or heads
    ("group_complaint", "我们这一排三十多户都是这个情况"),
    ("group_complaint", "今天楼里来了四十多个人,就等你们老总"),
    # a lawyer brought in, a head office complained to
    ("regulator_escalation", "我已经找了律师,下礼拜发函给你们"),
    ("regulator_escalation", "我跟你们总行投诉过了,编号都给了"),
    # the bereaved and the injured
    ("vulnerable_customer", "老伴上个月刚去世,他的卡我想销了"),
    ("vulnerable_customer", "我这胳膊还打着石膏,签字实在签不了"),
    # posting it, not just being on a platform
    ("media_exposure", "我在小红书上发了帖,评论都几百条了"),
    # second round: harm hinted, secrecy through a relative or an address, a claim priced, a group counted
    ("safety_risk", "我口袋里揣着刀,你们自己掂量"),
    ("safety_risk", "他住哪个小区我一清二楚,让他小心点"),
    ("safety_risk", "再不给钥匙,我把大门给你们锁上"),
    ("confidentiality", "以后有事只打我本人手机,别打我家座机"),
    ("confidentiality", "这封信千万别寄到家,寄单位就行"),
    ("confidentiality", "取钱这事你别跟我儿子说"),
    ("compensation_claim", "柜子被你们工人磕坏了,照价赔吧"),
    ("compensation_claim", "说好的木门换成了复合门,差价得退给我"),
    ("group_complaint", "我们二十几个工友的工资卡全被冻了"),
    ("group_complaint", "我们整个单元的人都签了名"),
    ("repeat_complaint", "上个礼拜就跟你们说过了,今天还是这样"),
    ("repeat_complaint", "下水道通完好了两天,今天又堵了"),
    ("vulnerable_customer", "我刚做完手术,刀口还疼,能不能让师傅上门?"),
    ("vulnerable_customer", "我眼睛看不见,这张单子你念给我听"),
    # third round: stalking and weapons hinted, secrecy kept from family and the hall, failed repairs counted
    ("safety_risk", "你们行长住哪个小区我都打听清楚了"),
    ("safety_risk", "再拖,我就把你们样板间全给拆了"),
    ("safety_risk", "我兜里揣着家伙,别逼我"),
    ("confidentiality", "我婆婆要是来问,你们一个字都别说"),
    ("confidentiality", "对账单别再往我原来的家里寄了"),
    ("confidentiality", "公告上千万别把我的房号贴出来"),
    ("confidentiality", "举报的事我不想留名字"),
    ("repeat_complaint", "热水器二月修过一次,四月又修,现在还是不热"),
    ("repeat_complaint", "这事我跟你们前任经理当面说过"),
    ("repeat_complaint", "每次来都是同一套说辞,都三回了"),
    ("vulnerable_customer", "我是聋哑人,只能写字跟你说"),
    ("vulnerable_customer", "我怀着二胎,这个甲醛我不敢住"),
    ("group_complaint", "我们三十多个同事的工资都没到"),
    # fourth round: promises and letters that came before, claims for costs, threats to the building
    ("repeat_complaint", "上回你们主管当面承诺过两周修好"),
    ("repeat_complaint", "去年我就寄过一封投诉信到总部"),
    ("repeat_complaint", "这个月我来了三次,你们本子上都有登记"),
    ("compensation_claim", "重新刷墙的钱你们物业得出"),
    ("compensation_claim", "停了一个月电梯,这季度物业费给我减半"),
    ("compensation_claim", "少给的那部分收益你们补给我"),
    ("safety_risk", "再不修,我拿油漆把你们大门泼了"),
    ("safety_risk", "今天不给钥匙,你们一个都别想下班"),
    ("safety_risk", "贷款不批?信不信我当场把这桌子给掀了"),
    ("confidentiality", "别把我取钱的事告诉我女婿"),
    ("media_exposure", "照片我已经在朋友圈发出去了"),
    ("vulnerable_customer", "我孩子是自闭症,一听打桩声就发作"),
]
NOT_SAID = [
    ("media_exposure", "我是电视台的,来给单位开个对公户"),
    ("media_exposure", "我在抖音上刷到你们的存款活动,还有吗?"),
    ("media_exposure", "我是做直播带货的,收款码费率多少?"),
    ("media_exposure", "这张照片曝光过度了,我重新拍一张"),
    ("safety_risk", "楼上装修把我家吊顶砸了个洞,谁来修?"),
    ("safety_risk", "拼了老命攒的首付,你们可得帮我算清楚"),
    ("safety_risk", "热水器打不着火,点火器是不是坏了"),
    ("confidentiality", "保密柜一年租金多少?"),
    ("confidentiality", "这事我可以替你们保密,但钱得退我"),
    ("confidentiality", "你别跟我说这些没用的,直接办"),
    ("regulator_escalation", "我姐在法院上班,让我来问问她的工资卡"),
    ("regulator_escalation", "我是房管局的,今天来看我自己的房子"),
    ("regulator_escalation", "小区门口站着个律师事务所的人发传单"),
    ("group_complaint", "我家是一梯两户,对门也刚收房"),
    ("vulnerable_customer", "我是老年大学的老师,来开个账户"),
    ("vulnerable_customer", "阳台石膏线接缝对不齐"),
    ("repeat_complaint", "这是我第二次买你们的房子"),
    ("repeat_complaint", "推销电话我说了八百遍不需要还打"),
    ("safety_risk", "隔壁楼盘都喊出跳楼价了,你们还不降?"),
    ("safety_risk", "我开了家醉鹅馆,想办个收款码"),
    ("confidentiality", "购房合同里的保密条款是什么意思?"),
    ("confidentiality", "别告诉我办张卡还得预约?"),
    ("compensation_claim", "我想问下拆迁补偿款到账没有"),
    ("compensation_claim", "定金那套朝北,想换朝南的,差价我补"),
    ("group_complaint", "我和我爱人两个人一起来的,要两人都签字吗?"),
    ("group_complaint", "业主群里物业发了停水通知,几点恢复?"),
    ("group_complaint", "航空联名卡的年费怎么收?"),
    ("repeat_complaint", "上次来办的业务挺顺利,这回给孩子也办一张"),
    ("repeat_complaint", "第三次来看房了,还想再算算月供"),
    ("media_exposure", "我是做自媒体的,想开个对公户"),
    ("media_exposure", "我是报社记者,单位让来开工资卡"),
    ("vulnerable_customer", "我是住院部的护士,你们几点关门?"),
    ("vulnerable_customer", "叫号屏太反光,坐后排看不清号"),
    ("safety_risk", "说好存五万送一桶油,油呢?"),
    ("safety_risk", "运钞车天天横在我们小区门口"),
    ("safety_risk", "我刚开完户,推销电话连我住哪个小区都知道"),
    ("vulnerable_customer", "我是市医院的护士,刚下夜班"),
    ("vulnerable_customer", "我去世好多年的老邻居留下的房子,想问问怎么租"),
    ("group_complaint", "我们三个是一个公司的,一起来开对公账户"),
    ("repeat_complaint", "这是我第二次来开户了,你们挺方便的"),
    ("repeat_complaint", "我来拿上回说好的那份赠品"),
    ("group_complaint", "前面还排着四十多个人,我等不了"),
    # one customer who signed a form is no petition
    ("group_complaint", "经理让我在平板上点了几下、签了名,回家才知道买的是基金"),
    ("group_complaint", "我跟我爱人一起来的,两张卡都要挂失"),
    ("regulator_escalation", "我就在金融监管局上班,今天来换张卡"),
    ("safety_risk", "我不是来闹事的,就想问清楚"),
]


@pytest.mark.parametrize(("flag", "text"), SAID)
def test_a_flag_said_in_other_words_is_raised(flag, text):
    assert flag in analyse(text).flags, text


@pytest.mark.parametrize(("flag", "text"), NOT_SAID)
def test_a_look_alike_raises_no_flag(flag, text):
    assert flag not in analyse(text).flags, text
