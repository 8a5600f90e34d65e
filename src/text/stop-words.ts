/** English stop words plus words that every abstract uses and that carry no topic. */
export const STOP_WORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by
can could did do does doing down during each few for from further had has have having he her here hers herself him himself
his how i if in into is it its itself just me more most my myself no nor not of off on once only or other our ours ourselves
out over own same she should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with would you your yours
yourself yourselves via thus however therefore within without upon among amongst whether either neither yet since may might
must shall us one two also paper papers propose proposed present show shows shown using use used based approach method
methods result results new`.split(/\s+/),
);
