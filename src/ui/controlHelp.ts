/**
 * Help texts of the page's actions and of the controls that are not declared settings (buttons, the timeline, the
 * layers, file choosers), shown by the (i) buttons beside them (./Help.tsx). The settings' help texts live in their
 * declarations (src/settings/) and are not repeated here.
 */

/** One line per action or control, in the paper's terms, with the unit where it has one. */
export const CONTROL_HELP = {
  timeline:
    'Play / pause (space) replays the recorded sampling run from t = 0 (the prior) to t = 1; the step buttons (← →) move one of the n steps; the slider sets the time t (unitless, 0 to 1); the speed is a multiple of one run in 5 seconds (+ and − keys).',
  train2d:
    'Train runs Adam steps on the loss in the browser until you pause; Step runs exactly one step (one batch); Reset starts a fresh, untrained network with the same settings.',
  sample2d: 'Sample runs the sampler again with the chosen model and the settings above: N points, n steps, the seed.',
  copyLink: 'Copies a link that reproduces this view: every setting, and your own points when they fit in a link.',
  dataset2d: 'Draw switches to your own points and the brush; Upload reads points from a CSV or JSON file (x, y in [-1, 1]); Download CSV saves your points; Clear removes them.',
  plotTool: 'Inspect: hovering or tapping chooses a point. Draw: press and drag to spray points; the brush radius is in data units (the plot spans -1 to 1).',
  layers:
    'Each switch shows or hides a layer of the plot: the data, the sender samples y ~ N(x_hat, 1/alpha) of the last update, the paths of a few tracked points, the input means mu, and the predictions x_hat.',
  modelSource2d:
    'Which model the sampler uses: the shipped network trained for this data set, your network trained here, a model file you loaded, or the ideal denoiser (the exact prediction E[x | mu, t] over the training points).',
  modelFiles:
    'Download saves the chosen model as one JSON bundle (or as model.json, weights.bin and card.json); Load reads such files back (the same three files or one bundle).',
  quality:
    'Measures the distance to the data (energy distance, lower is better) of samples drawn with several step counts n, to show how many steps the sampler needs.',
  mnistSample: 'Sample draws the digits with the chosen model and settings; Cancel stops a run that is still sampling.',
  mnistSource: 'Which network samples the digits: the shipped one, the one trained here, or a model file you loaded.',
  mnistTrain:
    'Start trains in the worker (fine-tuning the shipped network or from scratch) until Stop; the run keeps its network when you switch views. Download saves the trained network.',
  mnistTrainMode: 'Fine-tune continues training the shipped network (at a lower learning rate); scratch starts a fresh, untrained network.',
} as const;
