/** Name material for the demo district (Haidian, Beijing). All people are fictional. */
import type { Random } from './random.ts';

export const STREETS = [
  '学院路',
  '中关村',
  '海淀街道',
  '万寿路',
  '羊坊店',
  '甘家口',
  '八里庄',
  '紫竹院',
  '北下关',
  '北太平庄',
  '花园路',
  '清河',
  '西三旗',
  '马连洼',
  '上地',
  '青龙桥',
  '香山',
  '四季青',
  '温泉',
  '苏家坨',
  '上庄',
  '西北旺',
  '东升',
  '燕园',
  '清华园',
  '田村路',
  '永定路',
  '曙光',
  '海淀乡',
  '万柳',
  '双榆树',
  '五道口',
  '知春路',
  '蓟门桥',
  '魏公村',
  '苏州街',
  '西苑',
  '肖家河',
  '永丰',
  '东北旺',
  '玉渊潭',
  '航天城',
  '世纪城',
  '六郎庄',
  '巴沟',
  '彰化',
  '厢红旗',
  '树村',
  '圆明园',
  '北洼路',
  '定慧寺',
];

const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰晨宇浩然欣怡子涵梓萱一诺思远佳琪雨桐俊杰';

export function personName(random: Random): string {
  const surname = random.pick([...SURNAMES]);
  const given = Array.from({ length: random.int(1, 2) }, () => random.pick([...GIVEN])).join('');
  return surname + given;
}
