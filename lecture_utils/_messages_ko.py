"""The Korean catalogue: each English message of the package (as written in `_("...")` or `N_("...")`)
and its Korean. `python tools/translate.py messages` adds the new messages (as None, to translate) and
lists the problems; `tests/test_messages.py` fails on a missing, stale or broken entry. {fields} are
filled in by `str.format`: keep each field of the English (a field may move anywhere in the sentence).
"""
MESSAGES = {
    # course/_returns.py
    'the shape of {name}':
        '{name}의 모양',
    'nothing (None)':
        'None(값 없음)',
    'a string ({text})':
        '문자열({text})',
    'an array of shape {shape} and dtype {dtype}':
        '{shape} 모양의 {dtype} 배열',
    'a {type} of 1 item':
        '항목이 1개인 {type}',
    'a {type} of {count} items':
        '항목이 {count}개인 {type}',
    'a bool ({value})':
        'bool 값({value})',
    'one number':
        '숫자 하나',
    'a dict':
        '딕셔너리',
    'a {type}':
        '{type} 객체',
    '{label} is None: is it computed and returned?':
        '{label}의 값이 None입니다: 값을 계산해서 반환하고 있나요?',
    '{label} is {what}, but should be {noun}.':
        '{label}의 값이 {what}입니다. 필요한 것은 {noun}입니다.',
    '{label} is {what} that numpy cannot turn into one array, but should be {noun}.':
        '{label}의 값이 numpy가 하나의 배열로 바꿀 수 없는 {what}입니다. 필요한 것은 {noun}입니다.',
    'strings':
        '문자열',
    'bytes':
        '바이트열',
    'Python objects':
        'Python 객체',
    '{dtype} values':
        '{dtype} 값',
    '{label} is {what} holding {held}, but should be {noun}.':
        '{label}의 값이 {what}입니다. 그 안에 든 것은 {held}이지만, 필요한 것은 {noun}입니다.',
    'an array of floating-point numbers':
        '부동소수점 수 배열',
    'an array of integer class labels':
        '정수 클래스 레이블 배열',
    'a dict of numbers':
        '값이 숫자인 딕셔너리',
    'a function':
        '함수',
    'a cache':
        '캐시',
    'a value':
        '값',
    '{label} is None: return what the backward pass needs instead.':
        '{label}의 값이 None입니다: 대신 역전파에 필요한 값을 반환하세요.',
    '{label} is {what}, but should be a function of t (def lr(t): ... return lr).':
        '{label}의 값이 {what}입니다. 필요한 것은 t의 함수(def lr(t): ... return lr)입니다.',
    'the value for {key!r}':
        '{key!r} 항목',
    'the value for {key!r} is {what}, but should be one number.':
        '{key!r} 항목의 값이 {what}입니다. 필요한 것은 숫자 하나입니다.',
    '{label} is {what}, but should be a real number.':
        '{label}의 값이 {what}입니다. 필요한 것은 실수 하나입니다.',
    '{label} holds {dtype} values, but should hold floating-point numbers (float64).':
        '{label}에 든 값의 dtype이 {dtype}입니다. 부동소수점 수(float64)가 들어 있어야 합니다.',
    '{label} holds {dtype} values, but should hold integer class labels (np.argmax returns them).':
        '{label}에 든 값의 dtype이 {dtype}입니다. 정수 클래스 레이블이 들어 있어야 합니다(np.argmax가 돌려주는 것이 바로 정수 레이블입니다).',
    '{label} has shape {shape}, but should have shape {expected}, {what}.':
        '{label}의 모양이 {shape}입니다. 올바른 모양은 {expected}, 즉 {what}입니다.',
    'your function':
        '작성한 함수',
    '{check}(fn): fn must be your function itself, as in {check}(my_function), without calling it; got {what}.':
        '{check}(fn): fn에는 작성한 함수 자체를 호출하지 않고 그대로 넘겨야 합니다. {check}(my_function)처럼 쓰세요. 지금 넘긴 것은 {what}입니다.',
    'the pair ({labels})':
        '두 값({labels})',
    'the three values ({labels})':
        '세 값({labels})',
    'with {branch}, ':
        '{branch}일 때 ',
    '{where}{who} returned nothing (None): did you forget `return`? It should return {wanted}.':
        '{where}{who}의 반환값이 없습니다(None). `return`을 빠뜨리지 않았나요? 반환해야 하는 것은 {wanted}입니다.',
    '{where}{who} returned a tuple of {count} values, but should return only {wanted}.':
        '{where}{who}의 반환값이 값 {count}개로 된 튜플입니다. 반환해야 하는 것은 {wanted} 하나뿐입니다.',
    '{where}{who} returned {what}, not {wanted}.':
        '{where}{who}의 반환값이 {what}입니다. 반환해야 하는 것은 {wanted}입니다.',
    '{where}{who} returned 1 value':
        '{where}{who}의 반환값이 1개입니다',
    '{where}{who} returned {count} values':
        '{where}{who}의 반환값이 {count}개입니다',
    '{returned}, but should return {expected}: {wanted}.':
        '{returned}. 반환해야 하는 값은 {expected}개입니다: {wanted}.',
    # course/checks.py
    'Exercise {name!r} is not done yet. The rest of the notebook uses the reference {reference}, so you can come back to it later.':
        '연습 문제 {name!r}: 아직 풀지 않았습니다. 나중에 다시 돌아와서 풀어도 됩니다. 노트북의 나머지 부분에서는 참고 구현을 씁니다: {reference}',
    'Exercise {name!r}: all {count} checks passed.':
        '연습 문제 {name!r}: 검사 {count}개를 모두 통과했습니다.',
    '{what} has shape {got_shape}, but should have shape {expected_shape}.':
        '{what}: 모양이 {got_shape}입니다. 올바른 모양은 {expected_shape}입니다.',
    '{what} contains NaN or inf values on an ordinary input.':
        '평범한 입력인데도 {what}에 NaN이나 inf 값이 들어 있습니다.',
    '{what} is off (relative error {error:.1e}); compare each line of your code with the formula in the text.':
        '{what}: 값이 맞지 않습니다(상대 오차 {error:.1e}). 코드를 한 줄씩 본문의 수식과 비교해 보세요.',
    'one number (the mean over the examples)':
        '숫자 하나(예제들에 대한 평균)',
    'your function changed the scores array it was given; work on a copy (e.g. shifted = scores - ...).':
        '함수가 입력으로 받은 scores 배열을 바꿨습니다. 복사본으로 작업하세요(예: shifted = scores - ...).',
    'the loss is {n} times too large: average over the N = {n} examples instead of summing.':
        '손실이 {n}배 너무 큽니다: N = {n}개 예제에 대해 합하지 말고 평균을 내세요.',
    'the loss has the wrong sign: it is minus the log-probability of the correct class.':
        '손실의 부호가 반대입니다: 손실은 정답 클래스의 로그 확률에 마이너스를 붙인 값입니다.',
    'the loss':
        '손실',
    'dscores is {n} times too large: the loss is a mean over N examples, so its gradient is divided by N too.':
        'dscores가 {n}배 너무 큽니다: 손실이 N개 예제의 평균이므로, 그 기울기도 N으로 나눠야 합니다.',
    'dscores is the softmax probabilities divided by N; the correct class also needs a -1 (the derivative of -log p_y).':
        '지금 dscores는 소프트맥스 확률을 N으로 나눈 값입니다. 정답 클래스에는 -1도 들어가야 합니다(-log p_y를 미분하면 나오는 항).',
    'dscores has the wrong sign.':
        'dscores의 부호가 반대입니다.',
    "the loss is not finite for scores around 1000: exp(1000) overflows. Subtracting each row's maximum score before the exp changes nothing mathematically and keeps exp in range.":
        '점수가 1000 근처일 때 손실이 유한한 값이 아닙니다: exp(1000)이 오버플로됩니다. exp를 계산하기 전에 각 행에서 그 행의 최대 점수를 빼면, 수학적으로는 아무것도 바뀌지 않으면서 exp 값이 표현 가능한 범위 안에 머뭅니다.',
    'the loss for large scores (around 1000) is off, while small scores work: check the shift by the row maximum, which must be the same for every entry of a row.':
        '작은 점수에서는 맞지만, 큰 점수(1000 근처)에서는 손실이 맞지 않습니다: 행의 최댓값을 빼는 부분을 확인하세요. 한 행의 모든 항목에서 같은 값을 빼야 합니다.',
    "the loss is NaN when one row's scores sit far below another row's (around -2000 against 3): a shift by the largest score of the whole array leaves that row at -2000, where exp gives 0 for every class. Each row needs its own shift.":
        '한 행의 점수가 다른 행의 점수보다 훨씬 낮으면(3에 비해 -2000 근처) 손실이 NaN이 됩니다: 배열 전체의 최대 점수를 빼면 그 행은 -2000 근처에 그대로 남고, 거기서는 exp가 모든 클래스에 대해 0이 됩니다. 행마다 따로 빼야 합니다.',
    "the loss is off when one row's scores sit far below another row's: each row needs its own shift, by its own maximum.":
        '한 행의 점수가 다른 행의 점수보다 훨씬 낮으면 손실이 맞지 않습니다: 각 행에서는 그 행의 최댓값을 따로 빼야 합니다.',
    'your rule changed the x or state it was given; return new ones instead.':
        '업데이트 규칙이 입력으로 받은 x나 state를 바꿨습니다. 대신 새로 만들어 반환하세요.',
    "the returned state is empty: keep the velocity in it, e.g. state['v'], for the next step.":
        "반환한 state가 비어 있습니다: 다음 스텝을 위해 속도를 state['v']처럼 그 안에 저장하세요.",
    "x moves uphill: that is the slide's sign slip `x += learning_rate * vx`. The velocity accumulates gradients, so the step must subtract it.":
        'x가 오르막으로 움직입니다: 슬라이드에 있는 부호 실수 `x += learning_rate * vx` 그대로입니다. 속도는 기울기를 누적하므로, 스텝에서는 속도를 빼야 합니다.',
    'the steps are those of plain SGD: the velocity must carry over between calls (read it from state, update it, return it).':
        '스텝이 일반 SGD의 스텝과 같습니다: 속도가 호출에서 다음 호출로 이어져야 합니다(state에서 읽고, 업데이트하고, 반환하세요).',
    "the steps are about 10x too small at first: the slide's velocity is rho * v + dx, without a (1 - rho) factor on dx.":
        '처음 스텝들이 약 10배 너무 작습니다: 슬라이드의 속도는 rho * v + dx이며, dx에 (1 - rho) 계수를 곱하지 않습니다.',
    'x after 20 steps':
        '20 스텝 후의 x',
    'the first step is not finite: if t is still 0 when you use it, 1 - beta1 ** t is 0. Increment t before using it (the first step has t = 1).':
        '첫 스텝이 유한한 값이 아닙니다: t를 사용하는 시점에 t가 아직 0이면 1 - beta1 ** t가 0입니다. t를 사용하기 전에 1 증가시키세요(첫 스텝에서 t = 1).',
    'the first step is about {ratio:.1f}x too large: did you forget the bias correction? Both moments start at zero, so divide them by (1 - beta ** t).':
        '첫 스텝이 약 {ratio:.1f}배 너무 큽니다: 편향 보정(bias correction)을 빠뜨리지 않았나요? 두 모멘트 모두 0에서 시작하므로, 각각 (1 - beta ** t)로 나눠야 합니다.',
    'the first step is about {ratio:.1f}x too large: the second moment needs its bias correction too, not only the first.':
        '첫 스텝이 약 {ratio:.1f}배 너무 큽니다: 1차 모멘트뿐 아니라 2차 모멘트에도 편향 보정이 필요합니다.',
    'the first step is far too large: the slide divides by the square root of the second moment.':
        '첫 스텝이 지나치게 큽니다: 슬라이드에서는 2차 모멘트의 제곱근으로 나눕니다.',
    'x after the first step':
        '첫 스텝 후의 x',
    'the first step is right but later ones are off: t never advances, so every step uses t = 1. Return the incremented t in the new state.':
        '첫 스텝은 맞지만 이후 스텝이 맞지 않습니다: t가 전혀 증가하지 않아서 모든 스텝이 t = 1을 씁니다. 증가시킨 t를 새 state에 넣어 반환하세요.',
    "the first step is right but later ones drift: the state keeps the bias-corrected moments, so the next step corrects them a second time. The correction is for this step's update only; the state keeps the plain running averages.":
        '첫 스텝은 맞지만 이후 스텝이 점점 어긋납니다: state에 편향 보정을 마친 모멘트를 저장해서, 다음 스텝에서 한 번 더 보정됩니다. 보정은 이번 스텝의 업데이트에만 쓰고, state에는 보정하지 않은 이동 평균을 그대로 저장하세요.',
    'x after 30 steps':
        '30 스텝 후의 x',
    'with keep_prob={keep_prob} you keep {kept:.0%} of the units: keep_prob is the probability of KEEPING a unit, not of dropping it.':
        "keep_prob={keep_prob}일 때 유닛의 {kept:.0%}가 남습니다: keep_prob의 뜻은 유닛을 버릴 확률이 아니라 '남길' 확률입니다.",
    'with keep_prob={keep_prob} you keep {kept:.0%} of the units instead of about {keep_prob:.0%}.':
        'keep_prob={keep_prob}일 때 유닛의 약 {keep_prob:.0%}가 남아야 하는데, {kept:.0%}가 남습니다.',
    'the mean activation in training is {mean:.2f} for inputs of 2.0: did you forget to divide the kept units by keep_prob? That is what makes it inverted dropout.':
        '입력이 모두 2.0일 때 훈련 모드의 평균 활성값이 {mean:.2f}입니다: 남긴 유닛을 keep_prob 값으로 나누는 것을 잊지 않았나요? 그렇게 나누는 것이 바로 역 드롭아웃(inverted dropout)입니다.',
    'kept units should be scaled by 1 / keep_prob; yours are scaled by {scale:.3g}.':
        '남긴 유닛에는 1 / keep_prob 배율을 곱해야 하는데, 지금은 {scale:.3g}배가 곱해져 있습니다.',
    'the same rng seed gave different masks: draw the mask from the rng argument (rng.random(x.shape)), not from np.random.':
        '같은 rng 시드에서 서로 다른 마스크가 나왔습니다: 마스크는 np.random이 아니라 인수로 받은 rng에서 뽑으세요(rng.random(x.shape)).',
    'test mode should return x unchanged: inverted dropout already scaled in training. (The original paper scaled by p at test time instead; the study notes describe that version.)':
        '테스트 모드에서는 x를 그대로 반환해야 합니다: 역 드롭아웃은 이미 훈련 중에 배율을 조정했습니다. (원래 논문은 그 대신 테스트할 때 p를 곱했고, 스터디 노트는 그 방식을 설명합니다.)',
    '{{}} is N = {n} times too small: every example of the batch adds its gradient to the same parameter, so the gradients add up over the batch rather than average.':
        '{{}}의 값이 N = {n}배 너무 작습니다: 배치의 모든 예제가 같은 파라미터에 자기 기울기를 더하므로, 기울기는 배치에 대해 평균하는 것이 아니라 합산됩니다.',
    'dbeta is summed over the wrong axis: sum over the batch (axis 0).':
        'dbeta를 잘못된 축으로 합했습니다: 배치 방향(axis 0)으로 합하세요.',
    'dgamma should use the normalised x_hat, not the raw input x.':
        'dgamma에는 원래 입력 x가 아니라 정규화된 x_hat을 써야 합니다.',
    'dx is N = {n} times too large: the batch mean and variance are averages over the N examples, and that 1/N stays in every path through them.':
        'dx가 N = {n}배 너무 큽니다: 배치 평균과 분산은 N개 예제에 대한 평균이고, 그 1/N은 이 둘을 거치는 모든 경로에 남아 있습니다.',
    'the two terms that run through the batch mean and variance are N = {n} times too small: they collect a contribution from every example (a sum over the batch), which is not an average.':
        '배치 평균과 분산을 거치는 두 항이 N = {n}배 너무 작습니다: 두 항은 모든 예제에서 오는 기여를 모은 것(배치에 대한 합)이지 평균이 아닙니다.',
    'dx treats the batch mean and variance as constants: every x_i also moves the mean and the variance, which adds two terms summed over the batch.':
        'dx가 배치 평균과 분산을 상수로 취급하고 있습니다: 각 x_i는 평균과 분산도 움직이므로, 배치에 대해 합한 항 두 개가 더해집니다.',
    'dx misses the path through the batch mean (the term with the sum of dx_hat).':
        'dx에 배치 평균을 거치는 경로(dx_hat의 합이 들어간 항)가 빠져 있습니다.',
    'dx misses the path through the batch variance (the term with x_hat times a sum).':
        'dx에 배치 분산을 거치는 경로(x_hat에 합을 곱한 항)가 빠져 있습니다.',
    'dx forgets gamma: the gradient reaching x_hat is dout * gamma.':
        'dx에서 gamma가 빠졌습니다: x_hat에 도달하는 기울기는 dout * gamma입니다.',
    'the weight matrix':
        '가중치 행렬',
    '(fan_in, fan_out)':
        '(fan_in, fan_out) 모양',
    'the weights should have mean zero.':
        '가중치의 평균이 0이어야 합니다.',
    'a Leaky ReLU layer with slope = {slope}':
        'slope = {slope}인 Leaky ReLU 층',
    'a ReLU layer':
        'ReLU 층',
    'a tanh layer (the identity near 0)':
        'tanh 층(0 근처에서는 항등 함수)',
    "with fan_in = {fan_in}, {layer} with your weights multiplies the second moment of its input by {factor}; to keep it layer after layer, that factor must be 1. Redo section 2's variance algebra for this case.":
        'fan_in = {fan_in}일 때, 작성한 가중치를 쓰는 {layer}에서는 입력의 2차 모멘트가 {factor}배가 됩니다. 층을 거듭해도 2차 모멘트가 유지되려면 이 배율이 1이어야 합니다. 이 경우에 대해 2절의 분산 계산을 다시 해 보세요.',
    'the same rng seed gave different weights: draw them from the rng argument, not from np.random.':
        '같은 rng 시드에서 서로 다른 가중치가 나왔습니다: 가중치는 np.random이 아니라 인수로 받은 rng에서 뽑으세요.',
    "lecture_utils.init.init_weights(fan_in, fan_out, 'xavier' or 'he', rng)":
        "lecture_utils.init.init_weights(fan_in, fan_out, 'xavier' 또는 'he', rng)",
    "lecture_utils.experiments.propagation.matched_init('leaky_relu', slope, fan_in)":
        "lecture_utils.experiments.propagation.matched_init('leaky_relu', slope, fan_in) 함수",
    'the spread follows fan_out: a unit of the forward pass sums fan_in products, so fan_in is what sets the variance of its output.':
        '가중치의 퍼진 정도가 fan_out에 따라 정해져 있습니다: 순전파에서 한 유닛은 곱 fan_in개를 더하므로, 출력의 분산을 정하는 것은 fan_in입니다.',
    'with your weights a ReLU layer halves the second moment of its input, layer after layer: that is the scale for tanh. ReLU zeroes half of its inputs, and that half is missing from the algebra.':
        '작성한 가중치로는 ReLU 층이 층마다 입력의 2차 모멘트를 절반으로 줄입니다: 그것은 tanh에 맞는 스케일입니다. ReLU는 입력의 절반을 0으로 만드는데, 계산에서 그 절반이 빠져 있습니다.',
    "your std is the variance section 2 asks for; the weights' std is its square root.":
        '작성한 std 값은 2절에서 구하는 분산과 같습니다. 가중치의 std는 그 분산의 제곱근입니다.',
    "with your weights a tanh layer doubles the variance of its input, layer after layer: the factor 2 makes up for ReLU's zeroed half, and tanh near 0 zeroes nothing.":
        '작성한 가중치로는 tanh 층이 층마다 입력의 분산을 두 배로 키웁니다: 계수 2는 ReLU가 0으로 만드는 절반을 메우기 위한 것인데, 0 근처의 tanh는 아무것도 0으로 만들지 않습니다.',
    "that is Glorot and Bengio's compromise between fan_in and fan_out; the lecture's Xavier keeps the forward pass alone, which depends on fan_in only.":
        '그것은 Glorot와 Bengio가 fan_in과 fan_out 사이에서 절충한 방식입니다. 강의의 Xavier는 순전파의 분산만 유지하므로 fan_in에만 의존합니다.',
    "your std ignores the slope: it is He's for every slope. With slope > 0 the negative half of z is not zeroed but scaled, so it keeps part of its second moment.":
        '작성한 std가 slope를 무시합니다: 어떤 slope에서나 He의 값과 같습니다. slope > 0이면 z의 음수 쪽 절반은 0이 되지 않고 크기만 줄어들므로, 그 2차 모멘트의 일부가 남습니다.',
    'right at slope 0 and 1, off in between: the negative half contributes E[(slope * z)^2], so the slope enters the algebra squared.':
        'slope가 0과 1일 때는 맞지만 그 사이에서는 맞지 않습니다: 음수 쪽 절반이 기여하는 양은 E[(slope * z)^2]이므로, slope는 제곱되어 계산에 들어갑니다.',
    "your std is the variance your algebra gives; the weights' std is its square root.":
        '작성한 std 값은 계산으로 얻은 분산과 같습니다. 가중치의 std는 그 분산의 제곱근입니다.',
    'for x < 0 the output should approach -alpha, not 0: ELU is alpha * (exp(x) - 1) there.':
        'x < 0에서 출력은 0이 아니라 -alpha에 가까워져야 합니다: 그 구간에서 ELU는 alpha * (exp(x) - 1)입니다.',
    'the negative side ignores alpha: multiply (exp(x) - 1) by alpha.':
        '음수 쪽에서 alpha를 무시하고 있습니다: (exp(x) - 1)에 alpha를 곱하세요.',
    'the positive side should be x itself (the identity), as in ReLU.':
        '양수 쪽은 ReLU처럼 x 그 자체(항등 함수)여야 합니다.',
    'the forward output with alpha={alpha}':
        'alpha={alpha}일 때의 순전파 출력',
    'dx is the local derivative alone: multiply it by dout (the chain rule).':
        'dx가 국소 도함수만으로 되어 있습니다: 여기에 dout을 곱하세요(연쇄 법칙).',
    'for x < 0 the derivative is alpha * exp(x) = out + alpha, not out.':
        'x < 0에서 도함수는 out이 아니라 alpha * exp(x) = out + alpha입니다.',
    "for x < 0 your derivative is 0, as for ReLU; ELU's is alpha * exp(x), never 0.":
        'x < 0에서 작성한 도함수가 ReLU처럼 0입니다. ELU의 도함수는 alpha * exp(x)이며, 절대 0이 되지 않습니다.',
    'for x < 0 your derivative is right for alpha = 1 only (this is alpha = {alpha}): alpha multiplies the whole negative side, so it stays in its derivative.':
        'x < 0에서 작성한 도함수는 alpha = 1일 때만 맞습니다(지금은 alpha = {alpha}): alpha는 음수 쪽 전체에 곱해지므로 도함수에도 그대로 남습니다.',
    'dx with alpha={alpha}':
        'alpha={alpha}일 때의 dx',
    'the output or dx is not finite for x = 800: exp(800) overflows, and inf * 0 is NaN. Compute the exponential only where x <= 0 (np.minimum(x, 0) inside exp does it).':
        'x = 800에서 출력이나 dx가 유한한 값이 아닙니다: exp(800)이 오버플로되고, inf * 0은 NaN입니다. 지수 함수는 x <= 0인 곳에서만 계산하세요(exp 안에 np.minimum(x, 0)을 넣으면 됩니다).',
    'lecture_utils.activations.elu_forward / elu_backward':
        'lecture_utils.activations.elu_forward 및 elu_backward',
    'the standardised training data':
        '표준화한 훈련 데이터',
    'the standardised test data':
        '표준화한 테스트 데이터',
    'your function changed X_train or X_test in place; return new arrays.':
        '함수가 X_train이나 X_test를 제자리에서 바꿨습니다. 새 배열을 반환하세요.',
    'NaN or inf: a feature that is constant in training has std 0. Divide such features by 1 instead (they are only centred).':
        'NaN 또는 inf가 나왔습니다: 훈련 데이터에서 값이 일정한 특성은 std가 0입니다. 그런 특성은 대신 1로 나누세요(평균만 빼서 0 중심화됩니다).',
    'one mean and one std for the whole array: each feature (column) has its own scale, so each needs its own mean and std, taken over the examples (axis=0).':
        '배열 전체에 평균 하나와 std 하나를 썼습니다: 특성(열)마다 스케일이 다르므로, 특성마다 예제 방향(axis=0)으로 구한 평균과 std가 따로 필요합니다.',
    'the data are centred but not scaled: after subtracting the mean, divide each feature by its training std too.':
        '데이터를 0 중심화했지만 스케일은 맞추지 않았습니다: 평균을 뺀 뒤, 각 특성을 훈련 데이터에서 구한 std로도 나누세요.',
    "the feature that is constant in training (std 0) blows up in the test data: its test values differ from the training mean by about 0.5, and 0.5 / (0 + 1e-8) is 5e7. A std of 0 means there is nothing to scale: leave that feature's scale at 1.":
        '훈련 데이터에서 값이 일정한 특성(std 0)이 테스트 데이터에서 폭발합니다: 이 특성의 테스트 값은 훈련 평균과 약 0.5 차이가 나는데, 0.5 / (0 + 1e-8)은 5e7입니다. std가 0이라는 것은 맞출 스케일이 없다는 뜻이니, 그 특성의 스케일은 1로 두세요.',
    'the training data were standardised with statistics of train and test together: that leaks the test set into training. Fit the mean and std on X_train alone.':
        '훈련 데이터를 훈련 데이터와 테스트 데이터를 합쳐 구한 통계로 표준화했습니다: 그러면 테스트 세트가 훈련으로 새어 들어갑니다. 평균과 std는 X_train만으로 구하세요.',
    "your std differs slightly: use the population std (np.std's default, ddof=0), as the course does.":
        'std가 조금 다릅니다: 이 과정에서처럼 모집단 std를 쓰세요(np.std의 기본값, ddof=0).',
    'the test set was standardised with its OWN mean and std. The test set stands for data you have not seen: apply the statistics fitted on X_train.':
        "테스트 세트를 테스트 세트 '자신의' 평균과 std로 표준화했습니다. 테스트 세트는 아직 보지 못한 데이터를 대신하므로, X_train에서 구한 통계를 적용하세요.",
    'the test set was standardised with statistics of train and test together (leakage): apply the statistics fitted on X_train alone.':
        '테스트 세트를 훈련 데이터와 테스트 데이터를 합쳐 구한 통계로 표준화했습니다(누수): X_train만으로 구한 통계를 적용하세요.',
    'lecture_utils.preprocessing.fit_standardizer / standardize':
        'lecture_utils.preprocessing.fit_standardizer 및 standardize',
    'the result':
        '결과',
    'a dict {name: ratio}, one ratio per weight matrix':
        '가중치 행렬마다 비율이 하나씩 든 딕셔너리 {name: ratio}',
    'your function changed the parameters; it should only measure them.':
        '함수가 파라미터를 바꿨습니다. 파라미터는 측정만 해야 합니다.',
    'only the weight matrices W1, W2, ... have a ratio: leave out {extra} (a bias starts at 0, so its ratio is infinite at first and says nothing).':
        '비율은 가중치 행렬 W1, W2, ...에만 있어야 합니다: {extra} 항목은 빼세요(편향은 0에서 시작하므로 처음에는 비율이 무한대라서 아무것도 알려 주지 않습니다).',
    'the dict has no ratio for {missing}.':
        '딕셔너리에 {missing}의 비율이 없습니다.',
    'your ratio is upside down: it is the size of the update divided by the size of the weights.':
        '비율이 뒤집혀 있습니다: 비율은 업데이트의 크기를 가중치의 크기로 나눈 값입니다.',
    'your ratios use the weights after the update: compare the update with the weights it is applied to, the params you are given.':
        '비율에 업데이트 후의 가중치를 썼습니다: 업데이트는 그것이 적용될 가중치, 즉 입력으로 받은 params와 비교하세요.',
    'compare norms, not squared norms: take the square root of the sums of squares (np.linalg.norm).':
        '노름의 제곱이 아니라 노름을 비교하세요: 제곱합의 제곱근을 구하세요(np.linalg.norm).',
    'divide the norm of the whole update by the norm of the whole weight matrix, not the entries one by one (an entry near 0 makes an elementwise ratio explode).':
        '항목을 하나씩 나누지 말고, 업데이트 전체의 노름을 가중치 행렬 전체의 노름으로 나누세요(0에 가까운 항목이 하나라도 있으면 항목별 비율이 폭발합니다).',
    'use the Euclidean norm of all entries (np.linalg.norm of the raveled matrix), not the sum of absolute values.':
        '절댓값의 합이 아니라 모든 항목의 유클리드 노름(펼친 행렬의 np.linalg.norm)을 쓰세요.',
    'use the norm of all entries, not the largest entry.':
        '가장 큰 항목이 아니라 모든 항목의 노름을 쓰세요.',
    'the ratio for at least one weight matrix':
        '가중치 행렬 중 적어도 하나의 비율',
    'ten times larger updates should give ten times larger ratios.':
        '업데이트가 10배 커지면 비율도 10배 커져야 합니다.',
    'the array of values':
        '값 배열',
    'size={size} values':
        'size={size}개의 값',
    'the same rng seed gave different values (or different seeds the same): draw from the generator `rng` you are given, not from np.random.':
        '같은 rng 시드에서 서로 다른 값이 나왔습니다(또는 서로 다른 시드에서 같은 값이 나왔습니다): np.random이 아니라 인수로 받은 생성기 `rng`에서 뽑으세요.',
    'some values are NaN or inf.':
        '일부 값이 NaN 또는 inf입니다.',
    'the values are exponents: you sampled log10 of the value uniformly, which is right, but then returned it without raising 10 to it.':
        '반환한 값이 지수입니다: 값의 log10을 균등하게 뽑은 것은 맞지만, 그것을 10의 지수로 올리지 않고 그대로 반환했습니다.',
    'low and high are the values themselves (like 1e-6 and 1e-1), not exponents: take their logarithm before sampling.':
        'low와 high는 지수가 아니라 값 그 자체입니다(1e-6, 1e-1처럼): 샘플링하기 전에 로그를 취하세요.',
    'two different bases: the logarithm and its inverse must match (log10 with 10 ** x, or np.log with np.exp).':
        '로그의 밑이 서로 다릅니다: 로그와 그 역함수의 밑이 같아야 합니다(log10에는 10 ** x, np.log에는 np.exp).',
    'some values lie outside [low, high].':
        '일부 값이 [low, high] 밖에 있습니다.',
    '{top:.0%} of the values lie in the top factor of ten of the range: that is uniform sampling in linear space. Sample the logarithm uniformly instead.':
        '값의 {top:.0%}가 범위의 맨 위 10배 구간에 있습니다: 선형 공간에서 균등하게 샘플링한 것입니다. 대신 로그를 균등하게 샘플링하세요.',
    'the logarithm of the values is not uniformly distributed between log(low) and log(high).':
        '값의 로그가 log(low)와 log(high) 사이에 균등하게 분포하지 않습니다.',
    'lecture_utils.experiments.search.LogUniform(low, high).sample':
        'lecture_utils.experiments.search.LogUniform(low, high).sample 메서드',
    'your rule changed the x it was given; return a new array.':
        '업데이트 규칙이 입력으로 받은 x를 바꿨습니다. 새 배열을 반환하세요.',
    "these are the steps of ordinary momentum (x += v). Nesterov's change of variables steps by -rho * old_v + (1 + rho) * v, where old_v is the velocity from BEFORE this step's update.":
        "지금 스텝은 보통 모멘텀(x += v)의 스텝입니다. 변수를 바꿔 쓴 Nesterov 형태에서는 -rho * old_v + (1 + rho) * v만큼 이동하며, 여기서 old_v는 이번 스텝에서 업데이트하기 '전'의 속도입니다.",
    'x moves uphill: check the signs. v points downhill (v = rho * v - learning_rate * dx) and x moves along it (x += -rho * old_v + (1 + rho) * v).':
        'x가 오르막으로 움직입니다: 부호를 확인하세요. v는 내리막을 가리키고(v = rho * v - learning_rate * dx), x는 그 방향을 따라 움직입니다(x += -rho * old_v + (1 + rho) * v).',
    'the velocity does not carry over between calls: read it from state, update it, return it.':
        '속도가 호출에서 다음 호출로 이어지지 않습니다: state에서 읽고, 업데이트하고, 반환하세요.',
    'the new velocity is weighted by (1 + rho) in the step, not by 1.':
        '스텝에서 새 속도에 곱하는 가중치는 1이 아니라 (1 + rho)입니다.',
    'x after 25 steps':
        '25 스텝 후의 x',
    'grad_squared only grows: that is AdaGrad. RMSProp lets the old sum leak away: keep decay_rate of it and add (1 - decay_rate) * dx * dx.':
        'grad_squared 값이 커지기만 합니다: 그것은 AdaGrad입니다. RMSProp에서는 예전 합이 조금씩 빠져나갑니다: 예전 값의 decay_rate만큼만 남기고 (1 - decay_rate) * dx * dx를 더하세요.',
    'the two weights are swapped: keep decay_rate of the old grad_squared and add (1 - decay_rate) of the new dx * dx.':
        '두 가중치가 서로 바뀌었습니다: 예전 grad_squared의 decay_rate만큼을 남기고, 새 dx * dx의 (1 - decay_rate)만큼을 더하세요.',
    'the steps are about sqrt(10) = 3.2 times too small: grad_squared grows to about 1 / (1 - decay_rate) = 10 times the squared gradient, because the new dx * dx enters at full weight. A moving average gives the old value and the new one weights that add up to 1.':
        '스텝이 약 sqrt(10) = 3.2배 너무 작습니다: 새 dx * dx가 가중치 없이 그대로 더해지기 때문에 grad_squared가 기울기 제곱의 약 1 / (1 - decay_rate) = 10배까지 커집니다. 이동 평균에서는 예전 값과 새 값에 합이 1이 되는 가중치를 줍니다.',
    'divide by the square root of grad_squared (plus 1e-7), not by grad_squared itself.':
        'grad_squared 자체가 아니라 grad_squared의 제곱근(에 1e-7을 더한 값)으로 나누세요.',
    'grad_squared does not carry over between calls: read it from state, update it, return it.':
        'grad_squared 값이 호출에서 다음 호출로 이어지지 않습니다: state에서 읽고, 업데이트하고, 반환하세요.',
    'with tiny gradients your step differs: add 1e-7 after the square root (np.sqrt(grad_squared) + 1e-7), as the slide does, not inside it.':
        '기울기가 아주 작을 때 스텝이 다릅니다: 슬라이드처럼 1e-7은 제곱근 안이 아니라 제곱근을 구한 뒤에 더하세요(np.sqrt(grad_squared) + 1e-7).',
    'the first step has learning rate 0, so it is wasted: the ramp should reach lr0 at the last warm-up step (t = warmup_steps - 1), not start from 0.':
        '첫 스텝의 학습률이 0이라서 그 스텝이 낭비됩니다: 웜업 직선은 0에서 시작하는 것이 아니라 마지막 웜업 스텝(t = warmup_steps - 1)에서 lr0에 도달해야 합니다.',
    "the warm-up is off: it is a straight line that reaches lr0 exactly at the last warm-up step, t = warmup_steps - 1, and starts one step's worth above 0.":
        '웜업이 맞지 않습니다: 웜업은 마지막 웜업 스텝 t = warmup_steps - 1에서 정확히 lr0에 도달하는 직선이며, 0보다 한 스텝만큼 위에서 시작합니다.',
    'the cosine does not reach 0 at total_steps: after the warm-up only total_steps - warmup_steps steps remain, so the cosine spans those.':
        '코사인이 total_steps에서 0에 도달하지 않습니다: 웜업이 끝나면 total_steps - warmup_steps 스텝만 남으므로, 코사인은 그 스텝들에 걸쳐 있어야 합니다.',
    'the learning rate goes back up at the end: the decay is HALF a cosine, (1 + cos(pi * s / S)) / 2, not a full period.':
        "끝에서 학습률이 다시 올라갑니다: 감소는 한 주기 전체가 아니라 코사인의 '반' 주기, (1 + cos(pi * s / S)) / 2입니다.",
    'the learning rate jumps down at the end of the warm-up: the cosine must start at lr0, counting its steps from the end of the warm-up (t - warmup_steps).':
        '웜업이 끝날 때 학습률이 갑자기 떨어집니다: 코사인은 lr0에서 시작해야 하고, 스텝은 웜업이 끝난 시점부터 셉니다(t - warmup_steps).',
    'the cosine is one step off: at t = warmup_steps (its first step) the rate is exactly lr0, and at t = total_steps it has just reached 0.':
        '코사인이 한 스텝 어긋나 있습니다: t = warmup_steps(코사인의 첫 스텝)에서 학습률은 정확히 lr0이고, t = total_steps에서 막 0에 도달합니다.',
    'the cosine spans one step too many or too few: it takes total_steps - warmup_steps steps to go from lr0 to 0.':
        '코사인 구간이 한 스텝 길거나 짧습니다: lr0에서 0까지 가는 데 total_steps - warmup_steps 스텝이 걸려야 합니다.',
    'the decay after the warm-up is off: compare it with half a cosine from lr0 down to 0.':
        '웜업 뒤의 감소가 맞지 않습니다: lr0에서 0까지 내려가는 코사인 반 주기와 비교해 보세요.',
    'after total_steps the rate should stay at 0: the schedule is over (the cosine goes back up past it).':
        'total_steps 이후에는 학습률이 0에 머물러야 합니다: 스케줄이 끝났기 때문입니다(코사인은 그 뒤로 다시 올라갑니다).',
    'compare your rate at that step with the formula in the text.':
        '그 스텝에서의 학습률을 본문의 수식과 비교해 보세요.',
    'the schedule':
        '스케줄',
    'the learning rate':
        '학습률',
    'with lr0={lr0}, warmup_steps={warmup}, total_steps={total} your rate first differs at t = {first}: ':
        'lr0={lr0}, warmup_steps={warmup}, total_steps={total}일 때 t = {first}에서 처음으로 학습률이 달라집니다. ',
    'lecture_utils.schedules.linear_warmup(cosine_decay(lr0, total - warmup), warmup)':
        'lecture_utils.schedules.linear_warmup(cosine_decay(lr0, total - warmup), warmup) 스케줄',
    'the array of predicted labels':
        '예측 레이블 배열',
    'one label per example (N,), after averaging over the members (axis 0)':
        '멤버들에 대해 평균한 뒤(axis 0) 예제마다 레이블이 하나인 (N,) 모양',
    'your function changed the scores it was given.':
        '함수가 입력으로 받은 scores를 바꿨습니다.',
    "large scores give wrong answers: subtract each row's maximum score before exponentiating.":
        '점수가 크면 답이 틀립니다: 지수 함수를 계산하기 전에 각 행에서 그 행의 최대 점수를 빼세요.',
    'you averaged the raw scores or the log-probabilities (the two pick the same label: log-softmax only subtracts one number per member and example). Average the softmax PROBABILITIES of the members, so that one member with large scores does not outvote the others.':
        "원래 점수나 로그 확률을 평균했습니다(둘은 같은 레이블을 고릅니다: log-softmax는 멤버와 예제마다 숫자 하나를 뺄 뿐입니다). 점수가 큰 멤버 하나가 다른 멤버들을 압도하지 않도록, 멤버들의 소프트맥스 '확률'을 평균하세요.",
    "that is a majority vote of the members' labels: average their softmax probabilities instead, so that each member's confidence counts.":
        '멤버들이 고른 레이블의 다수결입니다: 각 멤버의 확신 정도가 반영되도록, 대신 멤버들의 소프트맥스 확률을 평균하세요.',
    'only the first member counts: average the probabilities of all members.':
        '첫 번째 멤버만 반영되고 있습니다: 모든 멤버의 확률을 평균하세요.',
    "{share:.0%} of the predicted labels differ from the argmax of the members' mean softmax probabilities.":
        '예측 레이블의 {share:.0%}가 멤버들의 평균 소프트맥스 확률의 argmax와 다릅니다.',
    'np.argmax(lecture_utils.experiments.ensembles.average_predictions(scores), axis=1)':
        'np.argmax(lecture_utils.experiments.ensembles.average_predictions(scores), axis=1) 계산',
    'your function changed W; compute the penalty without updating the weights.':
        '함수가 W를 바꿨습니다. 가중치를 업데이트하지 말고 페널티만 계산하세요.',
    "the penalty is half the slide's: R(W) = sum(W ** 2) has no factor 1/2 here.":
        '페널티가 슬라이드의 절반입니다: 여기서 R(W) = sum(W ** 2)에는 1/2 계수가 없습니다.',
    'the penalty is missing its strength: multiply sum(W ** 2) by reg.':
        '페널티에 강도가 빠졌습니다: sum(W ** 2)에 reg를 곱하세요.',
    'that is the L1 penalty (absolute values); L2 squares the weights.':
        '그것은 L1 페널티(절댓값)입니다. L2는 가중치를 제곱합니다.',
    'sum the squares instead of averaging them.':
        '제곱을 평균하지 말고 합하세요.',
    'the penalty':
        '페널티',
    'the gradient of reg * sum(W ** 2) is 2 * reg * W: the factor 2 is missing (it cancels only when the penalty has a 1/2).':
        'reg * sum(W ** 2)의 기울기는 2 * reg * W입니다: 계수 2가 빠졌습니다(이 계수는 페널티에 1/2이 있을 때만 상쇄됩니다).',
    'the gradient is missing reg: it is 2 * reg * W.':
        '기울기에 reg가 빠졌습니다: 기울기는 2 * reg * W입니다.',
    'that is the gradient of the L1 penalty (reg * sign(W)).':
        '그것은 L1 페널티의 기울기(reg * sign(W))입니다.',
    'reg * lecture_utils.losses.l2_penalty(W)':
        'reg * lecture_utils.losses.l2_penalty(W)와 그 기울기',
    'one label per test row':
        '테스트 행마다 레이블 하나',
    'your function changed the features it was given.':
        '함수가 입력으로 받은 특성을 바꿨습니다.',
    'your predictions are those of plain least squares: reg does not enter. Ridge regression adds the penalty reg * ||W||^2, which puts reg on the diagonal of the matrix you solve with.':
        '예측이 일반 최소제곱법의 예측과 같습니다: reg가 반영되지 않았습니다. 릿지 회귀는 페널티 reg * ||W||^2를 더하며, 그러면 풀어야 하는 행렬의 대각선에 reg가 들어갑니다.',
    'the test features were standardised with their OWN mean and std: use the training statistics for both, as a deployed model would.':
        "테스트 특성을 테스트 특성 '자신의' 평균과 std로 표준화했습니다: 실제로 배포된 모델처럼, 양쪽 모두 훈련 데이터의 통계를 쓰세요.",
    'the features were not standardised: with features on very different scales, the penalty falls unevenly. Subtract the training mean and divide by the training std first.':
        '특성을 표준화하지 않았습니다: 특성마다 스케일이 크게 다르면 페널티가 고르지 않게 작용합니다. 먼저 훈련 데이터의 평균을 빼고 훈련 데이터의 std로 나누세요.',
    '{share:.0%} of the labels differ from the reference: regress onto one-hot targets (one column per class, centred), then take the argmax of the scores.':
        '레이블의 {share:.0%}가 참고 구현과 다릅니다: 원-핫 목표(클래스마다 한 열, 0 중심화)에 대해 회귀한 다음, 점수의 argmax를 구하세요.',
    # course/environment.py
    'Python {version} is too old: the course needs 3.10 or newer':
        'Python {version}: 버전이 너무 낮습니다. 이 과정에는 3.10 이상이 필요합니다',
    "the {name} package's metadata":
        '{name} 패키지의 메타데이터',
    'requirements':
        '요구 사항',
    "the course's requirements were not found (looked in {source}); the packages it needs are not checked":
        '이 과정의 요구 사항 목록을 찾지 못했습니다(찾아본 곳: {source}). 필요한 패키지는 확인하지 않았습니다',
    '{name} is not installed: run `make lab` (or `pip install -r requirements.txt`) from the course folder':
        '{name} 패키지가 설치되어 있지 않습니다: 과정 폴더에서 `make lab`을 실행하세요(또는 `pip install -r requirements.txt`)',
    ' (the course was tested with >={low},<{high}; other versions may misbehave)':
        ' (이 과정은 >={low},<{high} 버전에서 테스트했습니다. 다른 버전에서는 제대로 동작하지 않을 수 있습니다)',
    'data subset':
        '데이터 부분집합',
    'the shipped Fashion-MNIST subset is intact':
        '함께 제공된 Fashion-MNIST 부분집합에 이상이 없습니다',
    '{path} or its .sha256 is missing: restore data/ with git (or reinstall lecture-utils)':
        '{path} 파일 또는 그 .sha256 파일이 없습니다: git으로 data/를 복원하세요(또는 lecture-utils를 다시 설치하세요)',
    '{path} is damaged (checksum differs): restore data/ with git (or reinstall lecture-utils)':
        '{path} 파일이 손상되었습니다(체크섬이 다릅니다): git으로 data/를 복원하세요(또는 lecture-utils를 다시 설치하세요)',
    'found in {folder}':
        '{folder}에 있습니다',
    'not installed; only needed for the full-size runs (README: Getting the full data)':
        '설치되어 있지 않습니다. 전체 크기로 실행할 때만 필요합니다(README: Getting the full data)',
    'full Fashion-MNIST (optional)':
        '전체 Fashion-MNIST (선택)',
    # course/plotting.py
    ' (constant learning rate {rate:g})':
        ' (고정 학습률 {rate:g})',
    'Loss':
        '손실',
    'Accuracy':
        '정확도',
    'Learning rate':
        '학습률',
    'Analytic vs numerical gradient':
        '해석적 기울기와 수치 기울기',
    'Relative error vs gradient size':
        '기울기 크기에 따른 상대 오차',
    'Numerical gradient error vs step size':
        '스텝 크기에 따른 수치 기울기의 오차',
    'The 15 gradient entries at h = {h:.0e}':
        'h = {h:.0e}에서 기울기 성분 15개',
    'Running average, batch size {size}':
        '이동 평균, 배치 크기 {size}',
    'Test-mode outputs, log10 init {init:g}':
        '테스트 모드의 출력, log10 init {init:g}',
    'Convergence rate of SGD + momentum (white: diverges)':
        'SGD + 모멘텀의 수렴 속도 (흰색: 발산)',
    'Schedule: {kind}':
        '스케줄: {kind}',
    'Training loss (y-range from step {step} on)':
        '훈련 손실 (y축 범위는 스텝 {step}부터)',
    'Ensemble accuracy as members are added':
        '멤버를 더할 때 앙상블의 정확도',
    'Regularizer: none':
        '규제: 없음',
    'Regularizer: {kind}, {setting}':
        '규제: {kind}, {setting}',
    'Test accuracy by strategy and target condition':
        '전략과 목표 조건별 테스트 정확도',
    '{title}\nbold: the best of each column and all within 2 paired standard errors of it; one accuracy on {n} test images is\nuncertain by ±{low:.3f} to ±{high:.3f} (2 standard errors)':
        '{title}\n굵은 글씨: 열마다 최고값과, 그와의 차이가 짝지은 표준 오차 2개 이내인 값; 테스트 이미지 {n}장에서 잰 정확도 하나의\n불확실성은 ±{low:.3f}~±{high:.3f} (표준 오차 2개)',
    # course/widgets.py
    'seed':
        '시드',
    'h = {h:.1e}: max relative error {float64:.1e} in float64, {float32:.1e} in float32 ({zeros} of 15 float32 entries are exactly 0: the two losses rounded to the same number)':
        'h = {h:.1e}: 최대 상대 오차 float64에서 {float64:.1e}, float32에서 {float32:.1e} (float32 항목 15개 중 {zeros}개가 정확히 0: 두 손실이 같은 수로 반올림되었습니다)',
    'Gradient check: choose the step h':
        '기울기 검사: 스텝 크기 h 고르기',
    'activation':
        '활성화 함수',
    '{activation} through 6 layers of 256 units, init {init}':
        '{activation}: 유닛 256개짜리 층 6개를 통과, init {init}',
    'alpha used':
        'alpha 사용',
    'alpha not used by {activation}':
        '{activation}에서는 alpha를 쓰지 않음',
    '{used}; init {init}; layer 1 activation std {first_std:.2e}, layer 6: activation std {last_std:.2e}, gradient std at layer 1 {grad_std:.2e}, zeros {zeros:.0%}, passing almost no gradient {blocked:.0%}':
        '{used}; 초기화 {init}; 1층: 활성값 std {first_std:.2e}, 기울기 std {grad_std:.2e}; 6층: 활성값 std {last_std:.2e}, 0인 활성값 {zeros:.0%}, 기울기를 거의 전달하지 못하는 유닛 {blocked:.0%}',
    'Activation functions through a deep network':
        '깊은 신경망을 지나는 활성화 함수',
    'depth':
        '깊이',
    'width':
        '너비',
    '{activation}, init {label}, {depth} layers of {width}':
        '{activation}, init {label}, 너비 {width}인 층 {depth}개',
    'last layer: activation std {last_std:.2e}, passing almost no gradient {blocked:.0%}; gradient std at layer 1: {grad_std:.2e}':
        '마지막 층: 활성값 std {last_std:.2e}, 기울기를 거의 전달하지 못하는 유닛 {blocked:.0%}; 1층의 기울기 std: {grad_std:.2e}',
    'Weight initialisation through a deep network':
        '깊은 신경망에서의 가중치 초기화',
    'shift':
        '이동',
    'scale':
        '스케일',
    'mean |change of the loss| {mean_change:.2e}; predictions that flip {flips:.1%}':
        '평균 |손실의 변화| {mean_change:.2e}; 뒤바뀌는 예측 {flips:.1%}',
    'Loss sensitivity: shift and scale the data':
        '손실의 민감도: 데이터의 이동과 스케일',
    'momentum':
        '모멘텀',
    'batch size':
        '배치 크기',
    'unit 0: running mean {running_mean:.3g} vs true {true_mean:.3g}, running variance {running_var:.3g} vs true {true_var:.3g} (eps {eps:g}); test-mode outputs: largest |mean| {test_mean:.2f}, std from {std_low:.2f} to {std_high:.2f}':
        '유닛 0: 이동 평균 {running_mean:.3g} (실제 {true_mean:.3g}), 이동 분산 {running_var:.3g} (실제 {true_var:.3g}, eps {eps:g}); 테스트 모드 출력: 가장 큰 |평균| {test_mean:.2f}, std {std_low:.2f}부터 {std_high:.2f}까지',
    'Batch norm: running averages':
        '배치 정규화: 이동 평균',
    'Two-layer net, plain SGD, lr = {lr:.1e}':
        '2층 신경망, 일반 SGD, lr = {lr:.1e}',
    'lr {lr:.1e}: the loss became NaN/inf at step {diverged_at}: far too high':
        'lr {lr:.1e}: 스텝 {diverged_at}에서 손실이 NaN/inf가 되었습니다: 너무 높습니다',
    'lr {lr:.1e}: mean loss {start:.3f} over the first 20 steps, {end:.3f} over the last 20':
        'lr {lr:.1e}: 처음 20 스텝의 평균 손실 {start:.3f}, 마지막 20 스텝의 평균 손실 {end:.3f}',
    'Babysitting: the loss at one learning rate':
        '학습 과정 돌보기: 한 학습률에서의 손실',
    'trials':
        '시도 횟수',
    'give each range some width: its two ends are on the same value':
        '범위마다 폭을 주세요: 범위의 양 끝이 같은 값에 있습니다',
    '{trials} trials, lr in 1e{lr_low:g}..1e{lr_high:g}, reg in 1e{reg_low:g}..1e{reg_high:g}':
        '시도 {trials}회, lr 범위 1e{lr_low:g}..1e{lr_high:g}, reg 범위 1e{reg_low:g}..1e{reg_high:g}',
    'best   {trial}':
        '최고   {trial}',
    'the five best suggest: log10 lr {lr_low:.2f} .. {lr_high:.2f}, log10 reg {reg_low:.2f} .. {reg_high:.2f}':
        '상위 5개가 제안하는 범위: log10 lr {lr_low:.2f} .. {lr_high:.2f}, log10 reg {reg_low:.2f} .. {reg_high:.2f}',
    '{first} and {second}':
        '{first} 및 {second}',
    'the best {names} lies at the edge of its range: widen the range that way':
        '가장 좋은 {names} 값이 범위의 가장자리에 있습니다: 그쪽으로 범위를 넓히세요',
    'Coarse to fine: choose the ranges':
        '거친 탐색에서 세밀한 탐색으로: 범위 고르기',
    'surface':
        '지형',
    'rule':
        '규칙',
    'start x':
        '시작 x',
    'start y':
        '시작 y',
    'noise':
        '잡음',
    'steps':
        '스텝 수',
    'Loss per step (log scale)':
        '스텝별 손실 (로그 스케일)',
    'diverged at step {step}':
        '스텝 {step}에서 발산',
    'ends at ({x:.3f}, {y:.3f}), loss {loss:.4g}':
        '도착점 ({x:.3f}, {y:.3f}), 손실 {loss:.4g}',
    '{rule}: {where}; plain SGD ends at loss {sgd_loss:.4g}':
        '{rule}: {where}; 일반 SGD의 최종 손실 {sgd_loss:.4g}',
    ' (diverged at step {step})':
        ' (스텝 {step}에서 발산)',
    'Optimizer playground':
        '최적화 기법 실험장',
    'schedule':
        '스케줄',
    'time scale T':
        '시간 척도 T',
    '{kind}: mean loss over the last 200 steps {loss:.3f} (constant lr0: {constant_loss:.3f}); validation accuracy {val_acc:.3f} (constant: {constant_acc:.3f})':
        '{kind}: 마지막 200 스텝의 평균 손실 {loss:.3f} (고정 lr0: {constant_loss:.3f}); 검증 정확도 {val_acc:.3f} (고정: {constant_acc:.3f})',
    'Learning-rate schedules':
        '학습률 스케줄',
    'members':
        '멤버 수',
    'Equal compute: {steps} SGD steps in all (bands: ±2 SE)':
        '같은 계산량: 모두 합쳐 SGD {steps}스텝 (띠: ±2 SE)',
    '{members} members: independent ensemble {independent:.3f} (members alone: mean {mean:.3f}, best {best:.3f}); snapshot ensemble {snapshot:.3f}; one network trained {steps} steps {single:.3f}':
        '멤버 {members}개: 독립 앙상블 {independent:.3f} (멤버 단독: 평균 {mean:.3f}, 최고 {best:.3f}); 스냅샷 앙상블 {snapshot:.3f}; {steps} 스텝 학습한 신경망 하나 {single:.3f}',
    '  {a} minus {b}: {d}: {verdict}':
        '  {a} 빼기 {b}: {d}: {verdict}',
    'Ensembles: add members':
        '앙상블: 멤버 추가하기',
    'regularizer':
        '규제 방법',
    '{kind} ({setting}): final training accuracy {train_acc:.3f}, validation {val_acc:.3f}, gap {gap:.3f}; weights with |W| < 1e-3: {near_zero:.1%}':
        '{kind} ({setting}): 최종 훈련 정확도 {train_acc:.3f}, 검증 정확도 {val_acc:.3f}, 차이 {gap:.3f}; |W| < 1e-3인 가중치: {near_zero:.1%}',
    'Regularization: type and strength':
        '규제: 종류와 강도',
    'per class':
        '클래스당',
    'target':
        '과제',
    'strategy':
        '전략',
    '{task} target, {per_class} per class, {strategy}: {accuracy:.3f}':
        '목표 과제 {task}, 클래스당 {per_class}장, {strategy}: {accuracy:.3f}',
    '{strategy} on the {task} target with {per_class} training images per class: test accuracy {accuracy:.3f}':
        '{strategy}, {task} 과제, 클래스당 훈련 이미지 {per_class}장: 테스트 정확도 {accuracy:.3f}',
    'Transfer learning: target, data and strategy':
        '전이 학습: 과제, 데이터, 전략',
    # experiments/propagation.py
    'the activations overflow at layer {layer}: the weights are far too large':
        '{layer}층에서 활성값이 넘칩니다(overflow): 가중치가 너무 큽니다',
    # training.py
    'the loss was already {first:.3g} at step 0, before any update: the initial weights are far too large (check the initialisation; a smaller learning rate will not fix it)':
        '업데이트를 한 번도 하기 전인 스텝 0에서 이미 손실이 {first:.3g}에 달했습니다: 초기 가중치가 너무 큽니다(초기화를 확인하세요. 학습률을 낮춰서는 해결되지 않습니다).',
    'try a learning rate about 10x smaller':
        '학습률을 약 10배 낮춰 보세요.',
    'training diverged at step {t} (epoch {epoch}): the loss is {loss} with learning rate {lr:.3g} ({rule}); {advice}':
        '스텝 {t}(에포크 {epoch})에서 학습이 발산했습니다: 학습률 {lr:.3g}({rule})에서 손실이 {loss}입니다. {advice}',
    'step':
        '스텝',
    'training':
        '학습',
}
